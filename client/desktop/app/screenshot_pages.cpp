// The screenshot runner's later steps: the mock exam (in progress and its report), Progress, Browse
// and Settings. Each waits for its page's data, lets the layout settle, and grabs the window.
#include <QAbstractButton>
#include <QChart>
#include <QListWidget>
#include <QMessageBox>

#include "desktop/app/screenshot_runner.h"
#include "desktop/models/item_search_model.h"
#include "desktop/models/mock_review_model.h"
#include "desktop/views/browse_view.h"
#include "desktop/views/main_window.h"
#include "desktop/views/mock_exam_view.h"
#include "desktop/views/mock_report_view.h"
#include "desktop/views/progress_view.h"
#include "desktop/views/settings_view.h"

namespace retain::desktop {

namespace {
constexpr uint32_t kPracticeQuestions = 10;
constexpr uint32_t kPracticeMinutes = 15;
constexpr int kPracticeAnswers = 6;
constexpr int kProgressHeight = 1960;
}  // namespace

void ScreenshotRunner::tickMock() {
    MockExamView* mock = m_window->mockView();
    if (!m_pageShown) {
        m_window->showPage(MainWindow::Page::Mock);
        m_pageShown = true;
        return;
    }
    if (!mock->errorText().isEmpty()) {
        finish(1, mock->errorText());
        return;
    }
    using State = MockExamView::State;
    if (mock->state() == State::Start) {
        if (!mock->isListed() || m_mockStarted)
            return;
        for (const auto& m : mock->mocks().mocks())
            if (!m.submitted()) {
                mock->openMock(m.mock_id());
                m_mockStarted = true;
                return;
            }
        if (m_study > 0) {
            mock->startMock(kPracticeQuestions, kPracticeMinutes);
            m_mockStarted = m_practiceByUs = true;
            return;
        }
        if (settled(QStringLiteral("mock-start")) && grab(QStringLiteral("mock-exam.png"))) {
            m_step = Step::MockReport;
            m_pageShown = false;
        }
        return;
    }
    if (mock->state() != State::Running || mock->isSaving())
        return;
    // Our own practice mock: answer some (the first option), flag one, and stop on an unanswered one.
    if (m_practiceByUs && m_mockAnswers < kPracticeAnswers) {
        mock->goTo(m_mockAnswers);
        mock->choose(0);
        if (m_mockAnswers == 2)
            mock->toggleFlag();
        ++m_mockAnswers;
        if (m_mockAnswers == kPracticeAnswers)
            mock->goTo(kPracticeAnswers);
        m_settleKey.clear();
        return;
    }
    if (!settled(QStringLiteral("mock-running")) || !grab(QStringLiteral("mock-exam.png")))
        return;
    m_step = Step::MockReport;
    m_pageShown = false;
}

void ScreenshotRunner::tickMockReport() {
    MockExamView* mock = m_window->mockView();
    using State = MockExamView::State;
    if (!mock->errorText().isEmpty()) {
        finish(1, mock->errorText());
        return;
    }
    if (QMessageBox* box = mock->confirmation()) {
        for (QAbstractButton* b : box->buttons())
            if (box->buttonRole(b) == QMessageBox::AcceptRole) {
                b->click();
                break;
            }
        return;
    }
    if (!m_pageShown) {
        m_pageShown = true;
        if (m_practiceByUs && mock->state() == State::Running)
            mock->requestSubmit();  // our own practice mock: submit it and show its report
        else
            mock->showStart();  // the learner's: leave it as it is, open their newest report
        return;
    }
    if (mock->state() == State::Start) {
        if (!mock->isListed() || m_reportRequested)
            return;
        for (const auto& m : mock->mocks().mocks())
            if (m.submitted()) {
                mock->openMock(m.mock_id());
                m_reportRequested = true;
                return;
            }
        m_step = Step::Progress;  // no report to show
        m_pageShown = false;
        return;
    }
    if (mock->state() != State::Report)
        return;
    MockReportView* report = mock->reportView();
    if (!m_reportSelected) {
        // Show a question answered wrongly: the more instructive review.
        m_reportSelected = true;
        for (int row = 0; row < report->reviewModel()->rowCount(); ++row)
            if (!report->reviewModel()->review(row)->correct() &&
                !report->reviewModel()->review(row)->chosen_options().empty()) {
                report->selectReview(row);
                break;
            }
    }
    if (!settled(QStringLiteral("mock-report")) || !grab(QStringLiteral("mock-report.png")))
        return;
    m_step = Step::Progress;
    m_pageShown = false;
}

void ScreenshotRunner::tickPages() {
    if (!m_pageShown) {
        m_pageShown = true;
        if (m_step == Step::Progress) {
            // Tall enough for every chart: the page scrolls in a normal window.
            m_window->resize(1180, kProgressHeight);
            m_window->showPage(MainWindow::Page::Progress);
        } else {
            m_window->resize(1180, 800);
            m_window->showPage(m_step == Step::Browse ? MainWindow::Page::Browse
                                                      : MainWindow::Page::Settings);
        }
        return;
    }
    if (m_window->session()->isBusy())
        return;
    switch (m_step) {
        case Step::Progress: {
            ProgressView* p = m_window->progressView();
            if (!p->errorText().isEmpty()) {
                finish(1, p->errorText());
                return;
            }
            if (!p->isLoaded() || !settled(QStringLiteral("progress")) ||
                !grab(QStringLiteral("progress.png")))
                return;
            m_step = Step::Browse;
            break;
        }
        case Step::Browse: {
            BrowseView* b = m_window->browseView();
            if (!b->errorText().isEmpty()) {
                finish(1, b->errorText());
                return;
            }
            if (b->isLoading() || b->model()->rowCount() == 0)
                return;
            // Prefer an item with a history: its forgetting curve is the point of the pane.
            if (b->detail().memory().reviews() == 0 && !m_browsePicked) {
                m_browsePicked = true;
                for (int row = 0; row < b->model()->rowCount(); ++row)
                    if (b->model()->item(row)->memory().reviews() > 1) {
                        b->selectRow(row);
                        return;
                    }
            }
            if (!settled(QStringLiteral("browse")) || !grab(QStringLiteral("browse.png")))
                return;
            m_step = Step::Settings;
            break;
        }
        case Step::Settings: {
            SettingsView* s = m_window->settingsView();
            if (s->syncText().startsWith(QStringLiteral("Asking")) || !settled(QStringLiteral("settings")) ||
                !grab(QStringLiteral("settings.png")))
                return;
            finish(0);
            return;
        }
        default:
            return;
    }
    m_pageShown = false;
}

}  // namespace retain::desktop
