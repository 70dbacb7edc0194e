#pragma once
// Every keyboard shortcut in one place (F1 or Ctrl+/), grouped by screen.

#include <QDialog>

namespace retain::desktop {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget* parent = nullptr);
    // The shortcuts as "keys — what" lines, grouped under their screen's name (for tests and docs).
    static QStringList entries();
};

}  // namespace retain::desktop
