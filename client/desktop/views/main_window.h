#pragma once
// The window: Connection, Today, Review and Summary pages on a stack, wired to one DaemonSession.
// It routes each failed call to the one view that shows it, and remembers its geometry.

#include <QMainWindow>

#include "desktop/app/daemon_session.h"

class QLabel;
class QStackedWidget;

namespace retain::desktop {

class ConnectionView;
class TodayView;
class ReviewView;
class SummaryView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Page { Connection, Today, Review, Summary };
    Q_ENUM(Page)

    explicit MainWindow(DaemonSession* session, QWidget* parent = nullptr);

    // Connects (starting retaind when needed); Today follows.
    void start();
    Page page() const { return m_page; }
    void showPage(Page page);
    // The widget of the current page (it has the keyboard focus).
    QWidget* currentPage() const;
    // Starts today's session and shows it (what "Study now" does).
    void studyNow();
    // Geometry from QSettings (a sensible default the first time).
    void restoreWindowGeometry();

    DaemonSession* session() const { return m_session; }
    ConnectionView* connectionView() const { return m_connection; }
    TodayView* todayView() const { return m_today; }
    ReviewView* reviewView() const { return m_review; }
    SummaryView* summaryView() const { return m_summary; }

Q_SIGNALS:
    void pageChanged(retain::desktop::MainWindow::Page page);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void onFailed(DaemonSession::Operation operation, const QString& message);
    void backToToday();

    DaemonSession* m_session;
    QStackedWidget* m_stack;
    ConnectionView* m_connection;
    TodayView* m_today;
    ReviewView* m_review;
    SummaryView* m_summary;
    QLabel* m_statusLabel;
    Page m_page = Page::Connection;
};

}  // namespace retain::desktop
