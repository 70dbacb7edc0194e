#pragma once
// Colours and type that follow the palette, so every screen reads well in light and dark themes, and
// sizes in points so it scales on high-DPI screens.

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>

class QApplication;
class QLabel;
class QTableView;
class QWidget;

namespace retain::desktop::theme {

enum class Scheme { System, Light, Dark };

// Follows the system unless told otherwise; Fusion with our own palette for an explicit choice.
void apply(QApplication& app, Scheme scheme);

bool isDark(const QPalette& palette);
// Right / wrong marks, chosen for contrast against the palette's base and window colours.
QColor rightColor(const QPalette& palette);
QColor wrongColor(const QPalette& palette);
QColor warningColor(const QPalette& palette);
// Secondary text: captions and hints.
QColor mutedTextColor(const QPalette& palette);
// A faint tint of `color` over the base colour, for feedback backgrounds.
QColor tint(const QPalette& palette, const QColor& color, double amount = 0.12);
QString cssColor(const QColor& color);

// The application style sheet: tiles, the primary button, banners. Palette roles, and colours derived
// from `palette`.
QString styleSheet(const QPalette& palette);

// `font` scaled by `factor`, optionally bold.
QFont scaled(const QFont& font, double factor, bool bold = false);
// Makes `label` secondary text.
void makeMuted(QLabel* label);
// A table of rows to pick one from (Browse, the mock review): whole-row single selection, no grid or
// row numbers, alternating rows, one line a row, Tab leaves the table.
void makeListTable(QTableView* table);
// A word-wrapped rich-text label that opens links and never takes keyboard focus.
QLabel* wrappedLabel(const QString& text = QString(), QWidget* parent = nullptr);

}  // namespace retain::desktop::theme
