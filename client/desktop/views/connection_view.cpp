#include "desktop/views/connection_view.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "desktop/views/keys.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

ConnectionView::ConnectionView(QWidget* parent)
    : QWidget(parent),
      m_title(new QLabel(QStringLiteral("Retain"))),
      m_message(theme::wrappedLabel()),
      m_help(theme::wrappedLabel()),
      m_busy(new QProgressBar),
      m_retry(new QPushButton(QStringLiteral("Retry   (Enter)"))) {
    setFocusPolicy(Qt::StrongFocus);
    auto* outer = new QHBoxLayout(this);
    auto* column = new QVBoxLayout;
    outer->addStretch(1);
    outer->addLayout(column, 3);
    outer->addStretch(1);
    column->addStretch(2);
    m_title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(m_title);
    m_message->setFont(theme::scaled(font(), 1.1));
    column->addWidget(m_message);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    column->addWidget(m_busy);
    theme::makeMuted(m_help);
    m_help->setText(QStringLiteral(
        "Retain keeps your progress in a small background service, <code>retaind</code>. The app starts it "
        "for you when it is not running. To run it yourself: <code>retaind</code> (see "
        "<code>retaind --help</code>), or point the app at another one with <code>retain --daemon "
        "ADDRESS</code>."));
    column->addWidget(m_help);
    auto* row = new QHBoxLayout;
    m_retry->setObjectName(QStringLiteral("primary"));
    m_retry->setFocusPolicy(Qt::NoFocus);
    m_retry->setToolTip(QStringLiteral("Try to connect again, starting the local daemon if needed (Enter)"));
    connect(m_retry, &QPushButton::clicked, this, &ConnectionView::retryRequested);
    row->addWidget(m_retry);
    row->addStretch(1);
    column->addLayout(row);
    column->addStretch(3);
    m_retry->hide();
    m_help->hide();
}

void ConnectionView::setState(DaemonSession::ConnectionState state, const QString& message) {
    const bool failed = state == DaemonSession::ConnectionState::Failed;
    m_title->setText(failed ? QStringLiteral("Retain cannot reach its study daemon")
                            : QStringLiteral("Retain"));
    m_message->setText(message.toHtmlEscaped());
    m_busy->setVisible(!failed && state != DaemonSession::ConnectionState::Connected);
    m_retry->setVisible(failed);
    m_help->setVisible(failed);
}

QString ConnectionView::messageText() const {
    return m_message->text();
}

void ConnectionView::keyPressEvent(QKeyEvent* event) {
    if (keys::isEnter(event) && m_retry->isVisibleTo(this)) {
        Q_EMIT retryRequested();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
