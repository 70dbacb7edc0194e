#include "desktop/views/theme.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <QTableView>
#include <memory>

namespace retain::desktop::theme {

namespace {

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x1f, 0x23, 0x28), base(0x16, 0x1a, 0x1f), text(0xe6, 0xe8, 0xeb);
    const QColor button(0x2b, 0x30, 0x37), highlight(0x3d, 0x7e, 0xd8), link(0x6c, 0xb6, 0xff);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x94, 0x9e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x44, 0x4c, 0x56));
    p.setColor(QPalette::Midlight, QColor(0x37, 0x3e, 0x47));
    p.setColor(QPalette::Mid, QColor(0x30, 0x36, 0x3d));
    p.setColor(QPalette::Dark, QColor(0x10, 0x12, 0x16));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, link);
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x92, 0xf0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x6e, 0x76, 0x81));
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(0x25, 0x29, 0x2f));
    return p;
}

QPalette lightPalette() {
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion->standardPalette();
    p.setColor(QPalette::Window, QColor(0xf6, 0xf7, 0xf9));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf1, 0xf3, 0xf5));
    p.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xd0));
    p.setColor(QPalette::Link, QColor(0x09, 0x5b, 0xc4));
    return p;
}

// Fusion outlines radio buttons and check boxes in the window colour darkened, which vanishes on a dark
// window: on dark palettes, draw them as if the window were a light grey so the outline shows.
class FusionStyle : public QProxyStyle {
public:
    FusionStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget) const override {
        if (element == PE_IndicatorRadioButton || element == PE_IndicatorCheckBox) {
            if (const auto* button = qstyleoption_cast<const QStyleOptionButton*>(option);
                button && isDark(option->palette)) {
                QStyleOptionButton copy(*button);
                copy.palette.setColor(QPalette::Window, QColor(0x9a, 0xa3, 0xad));
                QProxyStyle::drawPrimitive(element, &copy, painter, widget);
                return;
            }
        }
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }
};

}  // namespace

void apply(QApplication& app, Scheme scheme) {
    if (scheme == Scheme::System) {
        // The platform theme decides; without one (offscreen, minimal desktops) use Fusion, which
        // renders the same everywhere.
        if (QApplication::style()->name().compare(QStringLiteral("windows"), Qt::CaseInsensitive) == 0)
            QApplication::setStyle(new FusionStyle);
    } else {
        QApplication::setStyle(new FusionStyle);
        QApplication::setPalette(scheme == Scheme::Dark ? darkPalette() : lightPalette());
    }
    app.setStyleSheet(styleSheet(QApplication::palette()));
}

bool isDark(const QPalette& palette) {
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor rightColor(const QPalette& palette) {
    return isDark(palette) ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1a, 0x7f, 0x37);
}

QColor wrongColor(const QPalette& palette) {
    return isDark(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
}

QColor warningColor(const QPalette& palette) {
    return isDark(palette) ? QColor(0xe3, 0xb3, 0x41) : QColor(0x9a, 0x67, 0x00);
}

QColor mutedTextColor(const QPalette& palette) {
    const QColor a = palette.color(QPalette::WindowText), b = palette.color(QPalette::Window);
    const double t = 0.38;
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor tint(const QPalette& palette, const QColor& color, double amount) {
    const QColor b = palette.color(QPalette::Base);
    const double t = amount;
    return QColor::fromRgbF(static_cast<float>(b.redF() * (1 - t) + color.redF() * t),
                            static_cast<float>(b.greenF() * (1 - t) + color.greenF() * t),
                            static_cast<float>(b.blueF() * (1 - t) + color.blueF() * t));
}

QString cssColor(const QColor& color) {
    return color.name(QColor::HexRgb);
}

QString styleSheet(const QPalette& palette) {
    // A disabled primary button reads as disabled in both palettes: muted text on the button colour.
    const QString disabledPrimary =
        QStringLiteral(
            "QPushButton#primary:disabled { background: palette(button); color: %1;"
            " border: 1px solid palette(mid); }")
            .arg(cssColor(mutedTextColor(palette)));
    return disabledPrimary +
           QStringLiteral(
               "QFrame#tile { background: palette(base); border: 1px solid palette(midlight);"
               " border-radius: 10px; }"
               "QFrame#banner { background: palette(base); border: 1px solid palette(mid); border-radius: "
               "8px; }"
               "QFrame#card { background: palette(base); border: 1px solid palette(midlight); border-radius: "
               "12px; }"
               "QPushButton#primary { background: palette(highlight); color: palette(highlighted-text);"
               " border: none; border-radius: 8px; padding: 10px 36px; }"
               "QFrame#option { border: 1px solid palette(midlight); border-radius: 8px; }"
               "QWidget#sidebar { background: palette(base); border-right: 1px solid palette(midlight); }"
               "QPushButton#nav { border: none; border-radius: 6px; padding: 7px 14px; text-align: left;"
               " background: transparent; }"
               "QPushButton#nav:hover { background: palette(window); }"
               "QPushButton#nav:checked { background: palette(highlight); color: palette(highlighted-text); "
               "}");
}

QFont scaled(const QFont& font, double factor, bool bold) {
    QFont f = font;
    f.setPointSizeF(font.pointSizeF() * factor);
    if (bold)
        f.setWeight(QFont::DemiBold);
    return f;
}

void makeMuted(QLabel* label) {
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, mutedTextColor(p));
    label->setPalette(p);
}

void makeListTable(QTableView* table) {
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setHighlightSections(false);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setTabKeyNavigation(false);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 10);
}

QLabel* wrappedLabel(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    l->setOpenExternalLinks(true);
    l->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::TextSelectableByMouse);
    l->setFocusPolicy(Qt::NoFocus);
    return l;
}

}  // namespace retain::desktop::theme
