#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <map>
#include <vector>

#include "desktop/models/mastery_change_model.h"
#include "desktop/models/option_list_model.h"
#include "desktop/views/flashcard_panel.h"
#include "desktop/views/question_panel.h"
#include "desktop/views/review_view.h"
#include "desktop/views/stat_tile.h"
#include "desktop/views/summary_view.h"
#include "desktop/views/today_view.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::MainWindow;
using State = desktop::ReviewView::State;

class DesktopReview : public DesktopTest {
protected:
    desktop::ReviewView* review() const { return m_window->reviewView(); }

    // Waits until an item waits for the learner (or the session is over).
    void waitForItem() {
        ASSERT_TRUE(waitFor([&] {
            const State s = review()->state();
            return s == State::Front || s == State::Choosing || s == State::Error ||
                   m_window->page() == MainWindow::Page::Summary;
        })) << "stuck in state "
            << static_cast<int>(review()->state());
        ASSERT_NE(review()->state(), State::Error) << review()->errorText().toStdString();
    }

    // Chooses the first options a question asks for, by letter.
    void chooseFirstOptions() {
        for (int i = 0; i < review()->optionModel()->choose(); ++i)
            press(static_cast<Qt::Key>(Qt::Key_A + i));
    }

    void startStudying() {
        press(Qt::Key_Return);
        ASSERT_EQ(m_window->page(), MainWindow::Page::Review);
        waitForItem();
    }
};

TEST_F(DesktopReview, todayStartsAFocusedDrillAndAReviewOfMistakes) {
    auto& w = openWindow();
    ASSERT_TRUE(waitFor([&] { return w.todayView()->focusBox()->count() > 0; }));
    // The focus list names every domain and task statement of the blueprint.
    QComboBox* focus = w.todayView()->focusBox();
    const int ts = focus->findData(QStringLiteral("1.1"));
    ASSERT_GE(ts, 0);
    EXPECT_GE(focus->findData(QStringLiteral("1")), 0);
    focus->setCurrentIndex(ts);
    w.todayView()->focusButton()->click();
    ASSERT_EQ(w.page(), MainWindow::Page::Review);
    ASSERT_NO_FATAL_FAILURE(waitForItem());
    EXPECT_EQ(review()->currentItem().task_statement(), "1.1");
    EXPECT_TRUE(review()->currentItem().is_new()) << "a drill brings new items of its scope";
    // Mistakes: nothing was answered wrong yet, and the session says so instead of inventing work.
    w.showPage(MainWindow::Page::Today);
    w.todayView()->mistakesButton()->click();
    ASSERT_EQ(w.page(), MainWindow::Page::Review);
    ASSERT_NO_FATAL_FAILURE(waitForItem());
    EXPECT_EQ(w.page(), MainWindow::Page::Summary);
}

TEST_F(DesktopReview, aLeechsExplanationFollowsTheAnswerNeverPrecedesIt) {
    // Make a card a leech through the API: threshold 2, and AGAIN three times in one drill (each AGAIN
    // brings it back later in the session; the second and third are lapses).
    setSetting("leech_threshold", [](v1::LearnerSettings& s) { s.set_leech_threshold(2); });
    v1::StartSessionRequest start;
    start.set_learner_id(m_learner);
    start.set_mode(v1::DRILL);
    start.set_scope("1.1");
    auto s = m_client->startSession(start);
    ASSERT_TRUE(s) << s.error().format();
    std::string card;
    int agains = 0;
    for (int i = 0; i < 60 && agains < 3; ++i) {
        v1::NextItemRequest next;
        next.set_learner_id(m_learner);
        next.set_session_id(s->id());
        auto item = m_client->nextItem(next);
        ASSERT_TRUE(item && !item->finished());
        const bool again =
            item->item().kind() == v1::FLASHCARD && (card.empty() || card == item->item().id());
        if (again) {
            card = item->item().id();
            ++agains;
        }
        ASSERT_NO_FATAL_FAILURE(answerPresented(s->id(), item->item(), again ? v1::AGAIN : v1::GOOD));
    }
    ASSERT_EQ(agains, 3);
    v1::EndSessionRequest end;
    end.set_learner_id(m_learner);
    end.set_session_id(s->id());
    ASSERT_TRUE(m_client->endSession(end));
    const std::string explanation = detail(card).item().explanation();
    ASSERT_FALSE(explanation.empty());

    // In the desktop's review of mistakes the card comes as a leech: a notice, but not its explanation,
    // until the back is shown.
    auto& w = openWindow();
    ASSERT_TRUE(waitFor([&] { return w.todayView()->mistakesButton()->isEnabled(); }));
    w.todayView()->mistakesButton()->click();
    ASSERT_NO_FATAL_FAILURE(waitForItem());
    for (int i = 0; i < 20 && review()->currentItem().id() != card; ++i) {
        if (review()->state() == State::Front) {
            press(Qt::Key_Space);
            ASSERT_TRUE(waitFor([&] { return review()->state() == State::Back; }));
            press(Qt::Key_3);
        } else {
            chooseFirstOptions();
            press(Qt::Key_Return);
            ASSERT_TRUE(waitFor([&] { return review()->state() == State::Feedback; }));
            press(Qt::Key_Return);
        }
        ASSERT_NO_FATAL_FAILURE(waitForItem());
    }
    ASSERT_EQ(review()->currentItem().id(), card);
    ASSERT_TRUE(review()->currentItem().is_leech());
    EXPECT_TRUE(review()->leechText().contains(QStringLiteral("You keep missing this one")));
    EXPECT_FALSE(review()->leechText().contains(QString::fromStdString(explanation).left(30)))
        << review()->leechText().toStdString();
    press(Qt::Key_Space);
    ASSERT_TRUE(waitFor([&] { return review()->state() == State::Back; }));
    EXPECT_TRUE(review()->leechText().contains(QString::fromStdString(explanation).left(30)))
        << review()->leechText().toStdString();
}

TEST_F(DesktopReview, aFullSessionByKeyboardRecordsEveryAnswerInTheDaemon) {
    auto& w = openWindow();
    QAbstractItemModelTester options(review()->optionModel(),
                                     QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester mastery(w.summaryView()->masteryModel(),
                                     QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(w.todayView()->newTile()->value(), QStringLiteral("20"));
    ASSERT_NO_FATAL_FAILURE(startStudying());

    const std::array<Qt::Key, 3> grades = {Qt::Key_3, Qt::Key_4, Qt::Key_2};
    std::map<std::string, std::vector<v1::Rating>> recorded;  // per item; questions: RATING_UNSPECIFIED
    int answered = 0, flashcards = 0, questions = 0;
    std::string lastItem;
    bool undid = false;
    for (int step = 0; step < 60; ++step) {
        ASSERT_NO_FATAL_FAILURE(waitForItem());
        if (w.page() == MainWindow::Page::Summary)
            break;
        EXPECT_FALSE(review()->progressText().isEmpty());
        if (answered == 2 && !undid) {
            // Ctrl+Z: the last answer is undone and its item comes back at once.
            press(Qt::Key_Z, Qt::ControlModifier);
            ASSERT_TRUE(waitFor([&] {
                return (review()->state() == State::Front || review()->state() == State::Choosing) &&
                       review()->currentItem().id() == lastItem;
            })) << review()->errorText().toStdString();
            recorded[lastItem].pop_back();
            --answered;
            undid = true;
            continue;
        }
        const v1::PresentedItem item = review()->currentItem();
        if (item.kind() == v1::FLASHCARD) {
            press(Qt::Key_Space);
            ASSERT_TRUE(waitFor([&] { return review()->state() == State::Back; }));
            EXPECT_FALSE(review()->flashcardPanel()->backText().isEmpty());
            for (int r = 1; r <= 4; ++r)  // every grade button says when the card would come back
                EXPECT_TRUE(review()->flashcardPanel()->gradeButton(r)->text().contains(u'\n'));
            const Qt::Key g = grades[static_cast<size_t>(answered) % grades.size()];
            press(g);
            recorded[item.id()].push_back(static_cast<v1::Rating>(g - Qt::Key_0));
            ++flashcards;
        } else {
            chooseFirstOptions();
            press(Qt::Key_Return);
            ASSERT_TRUE(waitFor([&] { return review()->state() == State::Feedback; }))
                << review()->errorText().toStdString();
            EXPECT_FALSE(review()->questionPanel()->verdictText().isEmpty());
            recorded[item.id()].push_back(v1::RATING_UNSPECIFIED);
            press(Qt::Key_Return);
            ++questions;
        }
        ++answered;
        lastItem = item.id();
    }
    ASSERT_EQ(w.page(), MainWindow::Page::Summary);
    EXPECT_TRUE(undid);
    EXPECT_GT(flashcards, 0);
    EXPECT_GT(questions, 0);
    EXPECT_EQ(w.summaryView()->answeredTile()->value(), QString::number(answered));

    // The daemon holds exactly the answers given (the undone one excluded), with the grades pressed.
    for (const auto& [id, ratings] : recorded) {
        const auto d = detail(id);
        ASSERT_EQ(d.history_size(), static_cast<int>(ratings.size())) << id;
        for (size_t i = 0; i < ratings.size(); ++i) {
            if (ratings[i] != v1::RATING_UNSPECIFIED) {
                EXPECT_EQ(d.history(static_cast<int>(i)).rating(), ratings[i]) << id;
            }
        }
    }
    EXPECT_EQ(today().reviewed_today(), static_cast<uint32_t>(answered));

    // Enter goes back to Today, which now counts the reviews.
    press(Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return todayShown(); }));
    EXPECT_EQ(w.todayView()->newTile()->value(), QStringLiteral("0"));
}

TEST_F(DesktopReview, questionFeedbackMarksEveryOptionWithItsExplanationAndTheReferences) {
    openWindow();
    ASSERT_NO_FATAL_FAILURE(startStudying());
    for (int step = 0; step < 30 && review()->currentItem().kind() == v1::FLASHCARD; ++step) {
        press(Qt::Key_Space);
        ASSERT_TRUE(waitFor([&] { return review()->state() == State::Back; }));
        press(Qt::Key_3);
        ASSERT_NO_FATAL_FAILURE(waitForItem());
    }
    ASSERT_EQ(review()->state(), State::Choosing) << "no question in the session";
    const v1::PresentedItem item = review()->currentItem();
    auto* panel = review()->questionPanel();
    const bool multiple = item.kind() == v1::MULTIPLE_RESPONSE;
    for (int row = 0; row < item.options_size(); ++row) {
        auto* button = panel->optionButton(row);
        ASSERT_NE(button, nullptr);
        EXPECT_EQ(qobject_cast<QCheckBox*>(button) != nullptr, multiple);
        EXPECT_EQ(qobject_cast<QRadioButton*>(button) != nullptr, !multiple);
    }
    // Enter with nothing chosen does nothing but say what to do.
    press(Qt::Key_Return);
    EXPECT_EQ(review()->state(), State::Choosing);
    EXPECT_FALSE(review()->statusText().isEmpty());
    chooseFirstOptions();
    EXPECT_TRUE(panel->optionButton(0)->isChecked());
    press(Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return review()->state() == State::Feedback; }));

    const v1::Item content = detail(item.id()).item();
    bool allRight = true;
    for (int row = 0; row < item.options_size(); ++row) {
        const auto& option = content.options(static_cast<int>(item.option_index(row)));
        const bool chosen = row < review()->optionModel()->choose();
        allRight = allRight && chosen == option.correct();
        const QString mark = panel->optionMark(row);
        EXPECT_TRUE(mark.startsWith(option.correct() ? u'✓' : u'✗')) << mark.toStdString();
        EXPECT_EQ(mark.contains(QStringLiteral("Your answer")), chosen) << mark.toStdString();
        EXPECT_EQ(panel->optionExplanation(row), QString::fromStdString(option.explanation()));
    }
    EXPECT_EQ(panel->verdictText().contains(QStringLiteral("Correct")), allRight);
    EXPECT_EQ(panel->explanationText(), QString::fromStdString(content.explanation()));
    EXPECT_TRUE(panel->referencesText().contains(QStringLiteral("Retain test fixture")));
}

TEST_F(DesktopReview, gradeKeysWaitUntilTheCardIsRevealed) {
    openWindow();
    ASSERT_NO_FATAL_FAILURE(startStudying());
    for (int step = 0; step < 30 && review()->currentItem().kind() != v1::FLASHCARD; ++step) {
        chooseFirstOptions();
        press(Qt::Key_Return);
        ASSERT_TRUE(waitFor([&] { return review()->state() == State::Feedback; }));
        press(Qt::Key_Return);
        ASSERT_NO_FATAL_FAILURE(waitForItem());
    }
    ASSERT_EQ(review()->state(), State::Front) << "no flashcard in the session";
    const std::string id = review()->currentItem().id();
    press(Qt::Key_3);
    QTest::qWait(50);
    EXPECT_EQ(review()->state(), State::Front);
    EXPECT_EQ(detail(id).history_size(), 0);
    EXPECT_TRUE(review()->statusText().contains(QStringLiteral("Space")));
    press(Qt::Key_Space);
    ASSERT_TRUE(waitFor([&] { return review()->state() == State::Back; }));
    const QRegularExpression when(QStringLiteral("\\n(today|\\d+ (day|days|months)|[\\d.]+ years)$"));
    for (int r = 1; r <= 4; ++r)
        EXPECT_TRUE(when.match(review()->flashcardPanel()->gradeButton(r)->text()).hasMatch())
            << review()->flashcardPanel()->gradeButton(r)->text().toStdString();
}

TEST_F(DesktopReview, escapeEndsTheSessionAndShowsAnEmptySummary) {
    auto& w = openWindow();
    ASSERT_NO_FATAL_FAILURE(startStudying());
    press(Qt::Key_Escape);
    ASSERT_TRUE(waitFor([&] { return w.page() == MainWindow::Page::Summary; }));
    EXPECT_EQ(w.summaryView()->answeredTile()->value(), QStringLiteral("0"));
    press(Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return todayShown(); }));
}

TEST_F(DesktopReview, aFailedAnswerIsShownOnceInTheReviewView) {
    auto& w = openWindow();
    ASSERT_NO_FATAL_FAILURE(startStudying());
    if (review()->state() == State::Front) {
        press(Qt::Key_Space);
        ASSERT_TRUE(waitFor([&] { return review()->state() == State::Back; }));
    }
    stopDaemon();
    if (review()->state() == State::Back) {
        press(Qt::Key_3);
    } else {
        chooseFirstOptions();
        press(Qt::Key_Return);
    }
    ASSERT_TRUE(waitFor([&] { return review()->state() == State::Error; }, 10000));
    EXPECT_TRUE(review()->errorText().contains(QStringLiteral("not recorded")))
        << review()->errorText().toStdString();
    EXPECT_EQ(w.page(), MainWindow::Page::Review);
    EXPECT_TRUE(w.todayView()->errorText().isEmpty());
}

}  // namespace
}  // namespace retain::test
