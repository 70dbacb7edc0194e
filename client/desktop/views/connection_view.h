#pragma once
// Before anything else: connecting to retaind, starting it when nothing answers, and if that fails,
// saying so plainly with a Retry button (Enter).

#include <QWidget>

#include "desktop/app/daemon_session.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace retain::desktop {

class ConnectionView : public QWidget {
    Q_OBJECT
public:
    explicit ConnectionView(QWidget* parent = nullptr);
    void setState(DaemonSession::ConnectionState state, const QString& message);
    QString messageText() const;
    QPushButton* retryButton() const { return m_retry; }

Q_SIGNALS:
    void retryRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QLabel* m_title;
    QLabel* m_message;
    QLabel* m_help;
    QProgressBar* m_busy;
    QPushButton* m_retry;
};

}  // namespace retain::desktop
