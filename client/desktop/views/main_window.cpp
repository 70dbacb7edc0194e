#include "desktop/views/main_window.h"

#include <QCloseEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

#include "desktop/views/connection_view.h"
#include "desktop/views/review_view.h"
#include "desktop/views/summary_view.h"
#include "desktop/views/theme.h"
#include "desktop/views/today_view.h"

namespace retain::desktop {

MainWindow::MainWindow(DaemonSession* session, QWidget* parent)
    : QMainWindow(parent),
      m_session(session),
      m_stack(new QStackedWidget),
      m_connection(new ConnectionView),
      m_today(new TodayView),
      m_review(new ReviewView(session)),
      m_summary(new SummaryView),
      m_statusLabel(new QLabel) {
    setWindowTitle(QStringLiteral("Retain"));
    setMinimumSize(720, 560);
    m_stack->addWidget(m_connection);
    m_stack->addWidget(m_today);
    m_stack->addWidget(m_review);
    m_stack->addWidget(m_summary);
    setCentralWidget(m_stack);
    theme::makeMuted(m_statusLabel);
    m_statusLabel->setContentsMargins(0, 0, 12, 0);
    statusBar()->addPermanentWidget(m_statusLabel);
    statusBar()->setSizeGripEnabled(false);

    connect(m_session, &DaemonSession::connectionStateChanged, this,
            [this](DaemonSession::ConnectionState state, const QString& message) {
                m_connection->setState(state, message);
                if (state != DaemonSession::ConnectionState::Connected) {
                    m_statusLabel->setText(state == DaemonSession::ConnectionState::Failed
                                               ? QStringLiteral("Not connected")
                                               : QStringLiteral("Connecting…"));
                    showPage(Page::Connection);
                }
            });
    connect(m_session, &DaemonSession::connected, this, [this](const v1::Learner& learner) {
        const QString name = QString::fromStdString(learner.name());
        setWindowTitle(QStringLiteral("Retain — %1").arg(name));
        m_statusLabel->setText(
            QStringLiteral("Learner %1 · daemon %2").arg(name, m_session->config().address));
        m_today->setLearner(learner, m_session->blueprint());
        backToToday();
    });
    connect(m_session, &DaemonSession::todayReady, m_today, &TodayView::setToday);
    connect(m_session, &DaemonSession::failed, this, &MainWindow::onFailed);
    connect(m_connection, &ConnectionView::retryRequested, m_session, &DaemonSession::connectToDaemon);
    connect(m_today, &TodayView::retryRequested, m_session, &DaemonSession::fetchToday);
    connect(m_today, &TodayView::studyRequested, this, &MainWindow::studyNow);
    connect(m_review, &ReviewView::finished, this,
            [this](const v1::SessionSummary& summary, const QString& reason) {
                m_summary->setSummary(summary, reason, [this](const std::string& id) {
                    return m_session->taskStatementTitle(id);
                });
                showPage(Page::Summary);
            });
    connect(m_summary, &SummaryView::doneClicked, this, &MainWindow::backToToday);
}

void MainWindow::start() {
    m_session->connectToDaemon();
}

QWidget* MainWindow::currentPage() const {
    return m_stack->currentWidget();
}

void MainWindow::showPage(Page page) {
    m_page = page;
    QWidget* w = page == Page::Connection ? static_cast<QWidget*>(m_connection)
                 : page == Page::Today    ? static_cast<QWidget*>(m_today)
                 : page == Page::Review   ? static_cast<QWidget*>(m_review)
                                          : static_cast<QWidget*>(m_summary);
    m_stack->setCurrentWidget(w);
    w->setFocus(Qt::OtherFocusReason);
    Q_EMIT pageChanged(page);
}

void MainWindow::studyNow() {
    m_review->begin(v1::DAILY_REVIEW);
    showPage(Page::Review);
}

void MainWindow::backToToday() {
    m_today->setLoading();
    showPage(Page::Today);
    m_session->fetchToday();
}

void MainWindow::onFailed(DaemonSession::Operation operation, const QString& message) {
    switch (operation) {
        case DaemonSession::Operation::Connect:
            break;  // the connection view shows it, from connectionStateChanged
        case DaemonSession::Operation::Today:
            m_today->showError(message);
            break;
        case DaemonSession::Operation::Search:
            statusBar()->showMessage(message, 8000);
            break;
        default:
            m_review->showError(operation, message);
            break;
    }
}

void MainWindow::restoreWindowGeometry() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        QSize size(1040, 760);
        if (const QScreen* screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableSize() * 0.9);
        resize(size);
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    QMainWindow::closeEvent(event);
}

}  // namespace retain::desktop
