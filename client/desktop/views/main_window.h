#pragma once
// The window: a sidebar of pages (Today, Study, Mock exam, Progress, Browse, Settings; Ctrl+1..6) beside
// a stack of views wired to one DaemonSession. It routes each failed call to the one view that shows it,
// offers the keyboard shortcuts dialog (F1, Ctrl+/), and remembers its geometry.

#include <QMainWindow>
#include <QPointer>

#include "desktop/app/daemon_session.h"
#include "desktop/views/shortcuts_dialog.h"

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QStackedWidget;
class QWidget;

namespace retain::desktop {

class BrowseView;
class ConnectionView;
class MockExamView;
class ProgressView;
class ReviewView;
class SettingsView;
class SummaryView;
class TodayView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Page { Connection, Today, Review, Summary, Mock, Progress, Browse, Settings };
    Q_ENUM(Page)

    explicit MainWindow(DaemonSession* session, QWidget* parent = nullptr);

    // Connects (starting retaind when needed); Today follows.
    void start();
    Page page() const { return m_page; }
    // Shows `page`; the data pages (Mock, Progress, Browse, Settings) refresh from the daemon.
    void showPage(Page page);
    // The widget of the current page (it has the keyboard focus).
    QWidget* currentPage() const;
    // Starts today's session and shows it (what "Study now" does); back to a session in progress.
    void studyNow();
    // Geometry from QSettings (a sensible default the first time).
    void restoreWindowGeometry();
    // The keyboard shortcuts dialog (F1).
    void showShortcuts();
    // The sidebar button of `page` (nullptr for Connection and Summary).
    QAbstractButton* navButton(Page page) const;
    ShortcutsDialog* shortcutsDialog() const { return m_shortcuts; }

    DaemonSession* session() const { return m_session; }
    ConnectionView* connectionView() const { return m_connection; }
    TodayView* todayView() const { return m_today; }
    ReviewView* reviewView() const { return m_review; }
    SummaryView* summaryView() const { return m_summary; }
    MockExamView* mockView() const { return m_mock; }
    ProgressView* progressView() const { return m_progress; }
    BrowseView* browseView() const { return m_browse; }
    SettingsView* settingsView() const { return m_settings; }

Q_SIGNALS:
    void pageChanged(retain::desktop::MainWindow::Page page);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildSidebar();
    void addShortcuts();
    void onFailed(DaemonSession::Operation operation, const QString& message);
    void backToToday();
    void fetchReadiness();

    DaemonSession* m_session;
    QStackedWidget* m_stack;
    QWidget* m_sidebar = nullptr;
    QButtonGroup* m_nav = nullptr;
    ConnectionView* m_connection;
    TodayView* m_today;
    ReviewView* m_review;
    SummaryView* m_summary;
    MockExamView* m_mock;
    ProgressView* m_progress;
    BrowseView* m_browse;
    SettingsView* m_settings;
    QLabel* m_statusLabel;
    QPointer<ShortcutsDialog> m_shortcuts;
    Page m_page = Page::Connection;
};

}  // namespace retain::desktop
