#include "desktop/views/banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include "desktop/views/theme.h"

namespace retain::desktop {

Banner::Banner(const QString& action, QWidget* parent) : QFrame(parent), m_text(theme::wrappedLabel()) {
    setObjectName(QStringLiteral("banner"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(14, 8, 10, 8);
    layout->addWidget(m_text, 1);
    if (!action.isEmpty()) {
        m_action = new QPushButton(action);
        m_action->setFocusPolicy(Qt::NoFocus);
        layout->addWidget(m_action);
        connect(m_action, &QPushButton::clicked, this, &Banner::actionClicked);
    }
    hide();
}

void Banner::showMessage(const QString& html) {
    m_text->setText(html);
    show();
}

void Banner::clear() {
    m_text->clear();
    hide();
}

QString Banner::text() const {
    return isHidden() ? QString() : m_text->text();
}

}  // namespace retain::desktop
