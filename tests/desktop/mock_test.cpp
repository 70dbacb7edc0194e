#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QListWidget>
#include <QMessageBox>

#include "desktop/app/text_format.h"
#include "desktop/models/mock_navigator_model.h"
#include "desktop/models/mock_review_model.h"
#include "desktop/views/mock_exam_view.h"
#include "desktop/views/mock_report_view.h"
#include "desktop/views/stat_tile.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::MainWindow;
using desktop::MockExamView;

class DesktopMock : public DesktopTest {
protected:
    MockExamView* openMockPage() {
        auto& w = openWindow();
        press(Qt::Key_3, Qt::ControlModifier);
        EXPECT_EQ(w.page(), MainWindow::Page::Mock);
        auto* view = w.mockView();
        EXPECT_TRUE(waitFor([&] { return view->isListed(); }));
        return view;
    }
    QMessageBox* waitForConfirmation(MockExamView* view) {
        EXPECT_TRUE(waitFor([&] { return view->confirmation() && view->confirmation()->isVisible(); }));
        return view->confirmation();
    }
    static void click(QMessageBox* box, QMessageBox::ButtonRole role) {
        for (QAbstractButton* b : box->buttons())
            if (box->buttonRole(b) == role) {
                b->click();
                return;
            }
        ADD_FAILURE() << "no button of that role";
    }
};

TEST_F(DesktopMock, aFullMockByKeyboardEndsInAReportWithAReviewOfEveryAnswer) {
    MockExamView* view = openMockPage();
    EXPECT_EQ(view->pastMocks()->count(), 0) << "a new learner has no mocks yet";
    press(Qt::Key_Return);  // start the full form
    ASSERT_TRUE(waitFor([&] { return view->state() == MockExamView::State::Running; }));
    QAbstractItemModelTester tester(view->navigatorModel(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    const int n = view->mock().questions_size();
    ASSERT_GE(n, 5) << "the mini blueprint's form, as far as its questions go";
    EXPECT_EQ(view->mock().exam_conditions(), n == 10) << "a form cut short by too few questions is practice";
    EXPECT_GT(view->secondsLeft(), 0);
    EXPECT_LE(view->secondsLeft(), 20 * 60);
    EXPECT_TRUE(view->timerText().endsWith(QStringLiteral("left")));

    // Answer every question but the last with its first option(s); flag question 2.
    for (int q = 0; q < n - 1; ++q) {
        ASSERT_EQ(view->currentRow(), q);
        const auto& question = view->mock().questions(q);
        for (uint32_t k = 0; k < std::max<uint32_t>(1, question.choose()); ++k)
            press(static_cast<Qt::Key>(Qt::Key_A + static_cast<int>(k)));
        EXPECT_TRUE(view->optionButton(0)->isChecked());
        if (q == 1)
            press(Qt::Key_M);
        press(Qt::Key_Right);
    }
    ASSERT_TRUE(waitFor([&] { return !view->isSaving(); }));
    const auto* nav = view->navigatorModel();
    EXPECT_TRUE(nav->data(nav->index(0), desktop::MockNavigatorModel::AnsweredRole).toBool());
    EXPECT_TRUE(nav->data(nav->index(1), desktop::MockNavigatorModel::FlaggedRole).toBool());
    EXPECT_FALSE(nav->data(nav->index(n - 1), desktop::MockNavigatorModel::AnsweredRole).toBool());
    EXPECT_TRUE(nav->data(nav->index(n - 1), desktop::MockNavigatorModel::CurrentRole).toBool());

    // The daemon has every answer and the flag.
    v1::GetMockRequest get;
    get.set_learner_id(m_learner);
    get.set_mock_id(view->mock().id());
    auto onDaemon = m_client->getMock(get);
    ASSERT_TRUE(onDaemon) << onDaemon.error().format();
    EXPECT_EQ(onDaemon->answered(), static_cast<uint32_t>(n - 1));
    EXPECT_EQ(onDaemon->flagged(), 1u);
    EXPECT_TRUE(onDaemon->questions(1).flagged());

    // Back and forth with the keys.
    press(Qt::Key_Left);
    EXPECT_EQ(view->currentRow(), n - 2);
    press(Qt::Key_Home);
    EXPECT_EQ(view->currentRow(), 0);

    // Submitting asks first, naming what is unanswered and flagged; "Keep working" keeps the exam.
    press(Qt::Key_Return, Qt::ControlModifier);
    QMessageBox* box = waitForConfirmation(view);
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral("1 unanswered")));
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral(": %1").arg(n)));
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral("1 flagged for review:</b> 2")));
    click(box, QMessageBox::RejectRole);
    ASSERT_TRUE(waitFor([&] { return view->confirmation() == nullptr; }));
    EXPECT_EQ(view->state(), MockExamView::State::Running);

    press(Qt::Key_Return, Qt::ControlModifier);
    box = waitForConfirmation(view);
    ASSERT_NE(box, nullptr);
    click(box, QMessageBox::AcceptRole);
    ASSERT_TRUE(waitFor([&] { return view->state() == MockExamView::State::Report; }));

    desktop::MockReportView* report = view->reportView();
    QAbstractItemModelTester reviewTester(report->reviewModel(),
                                          QAbstractItemModelTester::FailureReportingMode::Fatal);
    // A form cut short has no scaled score and no pass or fail: the tiles are hidden and the note says why.
    const bool fullForm = report->report().full_form();
    EXPECT_EQ(fullForm, n == 10);
    EXPECT_EQ(report->scoreTile()->isHidden(), !fullForm);
    EXPECT_EQ(report->resultTile()->isHidden(), !fullForm);
    if (fullForm) {
        EXPECT_EQ(report->scoreTile()->value(), QString::number(report->report().scaled_score()));
        EXPECT_EQ(report->resultTile()->value(),
                  report->report().passed() ? QStringLiteral("Pass") : QStringLiteral("Fail"));
    } else {
        EXPECT_EQ(report->report().scaled_score(), 0u);
        EXPECT_FALSE(report->report().passed());
        for (const QString& d : report->domainTexts())  // counts, no verdict on a question or two
            EXPECT_TRUE(d.contains(QStringLiteral(": practice ("))) << d.toStdString();
    }
    EXPECT_EQ(report->domainTexts().size(), 2)
        << report->domainTexts().join(QStringLiteral("; ")).toStdString();
    EXPECT_EQ(report->reviewModel()->rowCount(), n);
    // The unanswered question is reviewed as such, with the correct options and every explanation.
    report->selectReview(n - 1);
    const QString review = report->reviewText();
    EXPECT_TRUE(review.contains(QStringLiteral("Not answered")));
    EXPECT_TRUE(review.contains(QStringLiteral("✓ correct")));
    const auto* last = report->reviewModel()->review(n - 1);
    ASSERT_NE(last, nullptr);
    for (const auto& o : last->item().options())
        EXPECT_TRUE(review.contains(desktop::safeTextToHtml(o.explanation())));
    // "Only wrong" keeps the wrong and unanswered ones.
    report->reviewModel()->setWrongOnly(true);
    for (int row = 0; row < report->reviewModel()->rowCount(); ++row)
        EXPECT_FALSE(report->reviewModel()->review(row)->correct());

    // Done: the start page lists the mock with its score, and opening it shows the report again.
    QTest::keyClick(report, Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return view->state() == MockExamView::State::Start && view->isListed(); }));
    ASSERT_EQ(view->pastMocks()->count(), 1);
    const QString listed = view->pastMocks()->item(0)->text();
    if (fullForm)
        EXPECT_TRUE(listed.contains(QString::number(report->report().scaled_score())))
            << listed.toStdString();
    else
        EXPECT_TRUE(listed.contains(QStringLiteral("practice form: %1 of %2 right")
                                        .arg(report->report().scored_correct())
                                        .arg(report->report().scored_total())))
            << listed.toStdString();
    view->openMock(view->mocks().mocks(0).mock_id());
    ASSERT_TRUE(waitFor([&] { return view->state() == MockExamView::State::Report; }));
}

TEST_F(DesktopMock, aMockInProgressResumesWithItsAnswersAndPauseStopsTheClock) {
    MockExamView* view = openMockPage();
    view->startMock(4, 10);
    ASSERT_TRUE(waitFor([&] { return view->state() == MockExamView::State::Running; }));
    EXPECT_FALSE(view->mock().exam_conditions()) << "a shorter form is practice";
    press(Qt::Key_B);
    ASSERT_TRUE(waitFor([&] { return !view->isSaving(); }));
    press(Qt::Key_P, Qt::ControlModifier);
    ASSERT_TRUE(waitFor([&] { return view->mock().paused(); }));
    EXPECT_TRUE(view->timerText().startsWith(QStringLiteral("Paused")));
    press(Qt::Key_C);  // ignored while paused
    ASSERT_FALSE(view->isSaving());
    const std::string id = view->mock().id();

    // Elsewhere and back: the start page offers to resume it, and it comes back as it was.
    view->showStart();
    ASSERT_TRUE(waitFor([&] { return view->isListed(); }));
    ASSERT_EQ(view->pastMocks()->count(), 1);
    EXPECT_TRUE(view->pastMocks()->item(0)->text().contains(QStringLiteral("in progress")));
    view->openMock(id);
    ASSERT_TRUE(waitFor([&] { return view->state() == MockExamView::State::Running; }));
    ASSERT_EQ(view->mock().questions(0).chosen_options_size(), 1);
    // B is the second option as shown; the daemon keeps it by its content-order index.
    ASSERT_EQ(view->mock().questions(0).option_index_size(), view->mock().questions(0).options_size());
    EXPECT_EQ(view->mock().questions(0).chosen_options(0), view->mock().questions(0).option_index(1));
    EXPECT_TRUE(view->mock().paused());
}

TEST(MockNavigatorModel, tracksAnsweredFlaggedAndCurrentRows) {
    desktop::MockNavigatorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    v1::MockExam mock;
    mock.set_id("m1");
    for (int i = 0; i < 3; ++i)
        mock.add_questions()->set_number(static_cast<uint32_t>(i + 1));
    mock.mutable_questions(1)->add_chosen_options(2);
    mock.mutable_questions(2)->set_flagged(true);
    model.setMock(mock);
    model.setCurrent(2);
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_FALSE(model.index(0).data(desktop::MockNavigatorModel::AnsweredRole).toBool());
    EXPECT_TRUE(model.index(1).data(desktop::MockNavigatorModel::AnsweredRole).toBool());
    EXPECT_TRUE(model.index(2).data(desktop::MockNavigatorModel::FlaggedRole).toBool());
    EXPECT_TRUE(model.index(2).data(desktop::MockNavigatorModel::CurrentRole).toBool());
    EXPECT_TRUE(model.index(2).data(Qt::ToolTipRole).toString().contains(QStringLiteral("flagged")));
    model.setAnswered(0, true);
    EXPECT_TRUE(model.index(0).data(desktop::MockNavigatorModel::AnsweredRole).toBool());
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

}  // namespace
}  // namespace retain::test
