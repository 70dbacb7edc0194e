#pragma once
// Keyboard helpers shared by the screens: every screen is driven by a few plain keys.

#include <QKeyEvent>

namespace retain::desktop::keys {

// The key was pressed without Ctrl, Alt or Meta (Shift and the keypad are fine).
inline bool plain(const QKeyEvent* e) {
    return (e->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) == 0;
}

inline bool isEnter(const QKeyEvent* e) {
    return plain(e) && (e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter);
}

inline bool isSpace(const QKeyEvent* e) {
    return plain(e) && e->key() == Qt::Key_Space;
}

// 1-4 on the main row or the keypad; 0 otherwise.
inline int grade(const QKeyEvent* e) {
    return plain(e) && e->key() >= Qt::Key_1 && e->key() <= Qt::Key_4 ? e->key() - Qt::Key_0 : 0;
}

// A-Z as an option row (0-25), -1 otherwise.
inline int letter(const QKeyEvent* e) {
    return plain(e) && e->key() >= Qt::Key_A && e->key() <= Qt::Key_Z ? e->key() - Qt::Key_A : -1;
}

}  // namespace retain::desktop::keys
