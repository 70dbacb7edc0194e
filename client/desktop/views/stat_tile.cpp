#include "desktop/views/stat_tile.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

#include "desktop/views/theme.h"

namespace retain::desktop {

StatTile::StatTile(const QString& caption, QWidget* parent)
    : QFrame(parent), m_caption(new QLabel(caption)), m_value(new QLabel), m_detail(new QLabel) {
    setObjectName(QStringLiteral("tile"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 14, 18, 14);
    layout->setSpacing(2);
    m_caption->setFont(theme::scaled(font(), 0.95, true));
    m_value->setFont(theme::scaled(font(), 2.2, true));
    m_detail->setWordWrap(true);
    for (QLabel* l : {m_caption, m_value, m_detail}) {
        l->setFocusPolicy(Qt::NoFocus);
        layout->addWidget(l);
    }
    layout->addStretch(1);
    setDetail(QString());
    theme::makeMuted(m_caption);
    theme::makeMuted(m_detail);
    setMinimumWidth(150);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
}

void StatTile::setValue(const QString& value) {
    m_value->setText(value);
}

void StatTile::setDetail(const QString& detail) {
    // Never hidden: tiles side by side keep the same height whether or not they have a detail.
    m_detail->setText(detail.isEmpty() ? QStringLiteral("\u00a0") : detail);
}

void StatTile::setCaption(const QString& caption) {
    m_caption->setText(caption);
}

void StatTile::setValueScale(double factor) {
    m_value->setFont(theme::scaled(font(), factor, true));
}

void StatTile::setValueColor(const QColor& color) {
    QPalette p = palette();
    if (color.isValid())
        p.setColor(QPalette::WindowText, color);
    m_value->setPalette(p);
}

QString StatTile::value() const {
    return m_value->text();
}

QString StatTile::detail() const {
    return m_detail->text() == QStringLiteral("\u00a0") ? QString() : m_detail->text();
}

QString StatTile::caption() const {
    return m_caption->text();
}

void StatTile::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        theme::makeMuted(m_caption);
        theme::makeMuted(m_detail);
    }
    QFrame::changeEvent(event);
}

}  // namespace retain::desktop
