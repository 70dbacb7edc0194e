#include "desktop/views/main_window.h"

#include <QButtonGroup>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

#include "desktop/views/browse_view.h"
#include "desktop/views/connection_view.h"
#include "desktop/views/mock_exam_view.h"
#include "desktop/views/progress_view.h"
#include "desktop/views/review_view.h"
#include "desktop/views/settings_view.h"
#include "desktop/views/shortcuts_dialog.h"
#include "desktop/views/summary_view.h"
#include "desktop/views/theme.h"
#include "desktop/views/today_view.h"

namespace retain::desktop {

namespace {

struct NavEntry {
    MainWindow::Page page;
    const char* text;
    const char* key;
    const char* tip;
};

// The sidebar, in order; Ctrl+N selects the Nth.
constexpr NavEntry kNav[] = {
    {MainWindow::Page::Today, "Today", "Ctrl+1", "What is due, the exam countdown and readiness"},
    {MainWindow::Page::Review, "Study", "Ctrl+2", "Today's session: due reviews and new items"},
    {MainWindow::Page::Mock, "Mock exam", "Ctrl+3", "A timed exam in the real format, with a score report"},
    {MainWindow::Page::Progress, "Progress", "Ctrl+4", "Mastery, readiness, history and retention as charts"},
    {MainWindow::Page::Browse, "Browse", "Ctrl+5", "Search every item, see its history, suspend it"},
    {MainWindow::Page::Settings, "Settings", "Ctrl+6", "Exam date, daily limits, retention, sync"},
};

}  // namespace

MainWindow::MainWindow(DaemonSession* session, QWidget* parent)
    : QMainWindow(parent),
      m_session(session),
      m_stack(new QStackedWidget),
      m_connection(new ConnectionView),
      m_today(new TodayView),
      m_review(new ReviewView(session)),
      m_summary(new SummaryView),
      m_mock(new MockExamView(session)),
      m_progress(new ProgressView(session)),
      m_browse(new BrowseView(session)),
      m_settings(new SettingsView(session)),
      m_statusLabel(new QLabel) {
    setWindowTitle(QStringLiteral("Retain"));
    setMinimumSize(860, 600);
    for (QWidget* w : std::initializer_list<QWidget*>{m_connection, m_today, m_review, m_summary, m_mock,
                                                      m_progress, m_browse, m_settings})
        m_stack->addWidget(w);
    auto* central = new QWidget;
    auto* row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    row->addWidget(buildSidebar());
    row->addWidget(m_stack, 1);
    setCentralWidget(central);
    m_sidebar->hide();
    theme::makeMuted(m_statusLabel);
    m_statusLabel->setContentsMargins(0, 0, 12, 0);
    statusBar()->addPermanentWidget(m_statusLabel);
    statusBar()->setSizeGripEnabled(false);
    addShortcuts();

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
        m_browse->setBlueprint(m_session->blueprint());
        backToToday();
    });
    connect(m_session, &DaemonSession::learnerChanged, this,
            [this](const v1::Learner& learner) { m_today->setLearner(learner, m_session->blueprint()); });
    connect(m_session, &DaemonSession::todayReady, m_today, &TodayView::setToday);
    connect(m_session, &DaemonSession::failed, this, &MainWindow::onFailed);
    connect(m_connection, &ConnectionView::retryRequested, m_session, &DaemonSession::connectToDaemon);
    connect(m_today, &TodayView::retryRequested, this, &MainWindow::backToToday);
    connect(m_today, &TodayView::studyRequested, this, &MainWindow::studyNow);
    connect(m_today, &TodayView::focusRequested, this, [this](const QString& scope) {
        m_review->begin(v1::DRILL, scope);
        showPage(Page::Review);
    });
    connect(m_today, &TodayView::mistakesRequested, this, [this] {
        m_review->begin(v1::REVIEW_MISTAKES);
        showPage(Page::Review);
    });
    connect(m_review, &ReviewView::finished, this,
            [this](const v1::SessionSummary& summary, const QString& reason) {
                m_summary->setSummary(summary, reason, [this](const std::string& id) {
                    return m_session->taskStatementTitle(id);
                });
                showPage(Page::Summary);
            });
    connect(m_summary, &SummaryView::doneClicked, this, &MainWindow::backToToday);
    connect(m_settings, &SettingsView::reconnectRequested, m_session, &DaemonSession::connectToDaemon);
}

QWidget* MainWindow::buildSidebar() {
    m_sidebar = new QWidget;
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAttribute(Qt::WA_StyledBackground);
    auto* column = new QVBoxLayout(m_sidebar);
    column->setContentsMargins(10, 18, 10, 12);
    column->setSpacing(4);
    auto* brand = new QLabel(QStringLiteral("Retain"));
    brand->setFont(theme::scaled(font(), 1.45, true));
    brand->setContentsMargins(10, 0, 0, 12);
    column->addWidget(brand);
    m_nav = new QButtonGroup(this);
    m_nav->setExclusive(true);
    for (const NavEntry& e : kNav) {
        auto* b = new QPushButton(QString::fromLatin1(e.text));
        b->setObjectName(QStringLiteral("nav"));
        b->setCheckable(true);
        b->setFocusPolicy(Qt::NoFocus);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        b->setMinimumHeight(b->fontMetrics().height() * 2 + 4);
        b->setToolTip(QStringLiteral("%1 (%2)").arg(
            QString::fromLatin1(e.tip),
            QKeySequence(QString::fromLatin1(e.key)).toString(QKeySequence::NativeText)));
        m_nav->addButton(b, static_cast<int>(e.page));
        column->addWidget(b);
    }
    column->addStretch(1);
    auto* help = new QPushButton(QStringLiteral("Shortcuts (F1)"));
    help->setObjectName(QStringLiteral("nav"));
    help->setFocusPolicy(Qt::NoFocus);
    help->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    help->setToolTip(QStringLiteral("Every keyboard shortcut (F1 or Ctrl+/)"));
    connect(help, &QPushButton::clicked, this, &MainWindow::showShortcuts);
    column->addWidget(help);
    m_sidebar->setFixedWidth(
        std::max(150, m_sidebar->fontMetrics().horizontalAdvance(QStringLiteral("Mock exam")) * 2));
    connect(m_nav, &QButtonGroup::idClicked, this, [this](int id) {
        const auto page = static_cast<Page>(id);
        if (page == Page::Review)
            studyNow();
        else if (page == Page::Today)
            backToToday();
        else
            showPage(page);
    });
    return m_sidebar;
}

void MainWindow::addShortcuts() {
    for (const NavEntry& e : kNav) {
        auto* s = new QShortcut(QKeySequence(QString::fromLatin1(e.key)), this);
        const int id = static_cast<int>(e.page);
        connect(s, &QShortcut::activated, this, [this, id] {
            if (m_session->isConnected())
                if (QAbstractButton* b = m_nav->button(id))
                    b->click();
        });
    }
    auto* settings = new QShortcut(QKeySequence::Preferences, this);
    connect(settings, &QShortcut::activated, this, [this] {
        if (m_session->isConnected())
            showPage(Page::Settings);
    });
    for (const QKeySequence& k : {QKeySequence(Qt::Key_F1), QKeySequence(QStringLiteral("Ctrl+/"))}) {
        auto* s = new QShortcut(k, this);
        connect(s, &QShortcut::activated, this, &MainWindow::showShortcuts);
    }
    auto* refresh = new QShortcut(QKeySequence(Qt::Key_F5), this);
    connect(refresh, &QShortcut::activated, this, [this] {
        if (!m_session->isConnected())
            return;
        if (m_page == Page::Today)
            backToToday();
        else if (m_page == Page::Mock || m_page == Page::Progress || m_page == Page::Browse ||
                 m_page == Page::Settings)
            showPage(m_page);
    });
}

QAbstractButton* MainWindow::navButton(Page page) const {
    return m_nav->button(static_cast<int>(page));
}

void MainWindow::showShortcuts() {
    // Not modal: it can stay open beside the page it explains.
    if (!m_shortcuts) {
        m_shortcuts = new ShortcutsDialog(this);
        m_shortcuts->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_shortcuts->show();
    m_shortcuts->raise();
}

void MainWindow::start() {
    m_session->connectToDaemon();
}

QWidget* MainWindow::currentPage() const {
    return m_stack->currentWidget();
}

void MainWindow::showPage(Page page) {
    m_page = page;
    QWidget* w = nullptr;
    switch (page) {
        case Page::Connection:
            w = m_connection;
            break;
        case Page::Today:
            w = m_today;
            break;
        case Page::Review:
            w = m_review;
            break;
        case Page::Summary:
            w = m_summary;
            break;
        case Page::Mock:
            w = m_mock;
            break;
        case Page::Progress:
            w = m_progress;
            break;
        case Page::Browse:
            w = m_browse;
            break;
        case Page::Settings:
            w = m_settings;
            break;
    }
    m_sidebar->setVisible(page != Page::Connection);
    const Page navPage = page == Page::Summary ? Page::Review : page;
    if (QAbstractButton* b = m_nav->button(static_cast<int>(navPage)))
        b->setChecked(true);
    m_stack->setCurrentWidget(w);
    switch (page) {
        case Page::Mock:
            m_mock->refresh();
            break;
        case Page::Progress:
            m_progress->refresh();
            break;
        case Page::Browse:
            m_browse->refresh();
            break;
        case Page::Settings:
            m_settings->refresh();
            break;
        default:
            break;
    }
    w->setFocus(Qt::OtherFocusReason);
    Q_EMIT pageChanged(page);
}

void MainWindow::studyNow() {
    using State = ReviewView::State;
    const State s = m_review->state();
    const bool inSession = s != State::Idle && s != State::Finished && s != State::Preview;
    if (!inSession)
        m_review->begin(v1::DAILY_REVIEW);
    showPage(Page::Review);
}

void MainWindow::backToToday() {
    m_today->setLoading();
    showPage(Page::Today);
    m_session->fetchToday();
    fetchReadiness();
}

void MainWindow::fetchReadiness() {
    v1::GetReadinessRequest r;
    r.set_learner_id(m_session->learner().id());
    m_session->call<v1::Readiness>(
        DaemonSession::Operation::Readiness, m_today, [r](rpc::Client& c) { return c.readiness(r); },
        [this](const v1::Readiness& readiness) { m_today->setReadiness(readiness); },
        [](const rpc::RpcError&) {
            // The tile keeps saying that readiness needs more evidence; Today's own numbers matter more.
        });
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
        case DaemonSession::Operation::StartSession:
        case DaemonSession::Operation::NextItem:
        case DaemonSession::Operation::Item:
        case DaemonSession::Operation::Answer:
        case DaemonSession::Operation::Undo:
        case DaemonSession::Operation::EndSession:
            m_review->showError(operation, message);
            break;
        default:
            // The other views pass their own error handlers; anything else goes to the status bar.
            statusBar()->showMessage(message, 8000);
            break;
    }
}

void MainWindow::restoreWindowGeometry() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        QSize size(1180, 800);
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
