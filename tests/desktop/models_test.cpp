#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include "desktop/models/mastery_change_model.h"
#include "desktop/models/option_list_model.h"

namespace retain::test {
namespace {

using desktop::MasteryChangeModel;
using desktop::OptionListModel;
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

v1::PresentedItem question(v1::ItemKind kind, int options, uint32_t choose = 0) {
    v1::PresentedItem p;
    p.set_id("q");
    p.set_kind(kind);
    p.set_choose(choose);
    for (int i = 0; i < options; ++i) {
        p.add_options("option " + std::to_string(i));
        p.add_option_index(static_cast<uint32_t>(options - 1 - i));  // shuffled: reversed
    }
    return p;
}

TEST(OptionListModel, multipleChoiceKeepsOneChoice) {
    OptionListModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setQuestion(question(v1::MULTIPLE_CHOICE, 4));
    EXPECT_EQ(model.rowCount(), 4);
    EXPECT_FALSE(model.multipleResponse());
    EXPECT_FALSE(model.canSubmit());
    model.toggle(1);
    model.toggle(2);
    EXPECT_EQ(model.chosenCount(), 1);
    EXPECT_EQ(model.index(2).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
    EXPECT_EQ(model.index(1).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    EXPECT_TRUE(model.canSubmit());
    EXPECT_EQ(model.chosenContentIndexes(), std::vector<uint32_t>{1});  // row 2 of 4, reversed
    EXPECT_EQ(model.index(2).data(OptionListModel::LetterRole).toString(), QStringLiteral("C"));
}

TEST(OptionListModel, multipleResponseNeedsExactlyTheNumberToChoose) {
    OptionListModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    QSignalSpy changed(&model, &OptionListModel::choiceChanged);
    model.setQuestion(question(v1::MULTIPLE_RESPONSE, 5, 2));
    EXPECT_TRUE(model.multipleResponse());
    EXPECT_EQ(model.choose(), 2);
    model.toggle(0);
    EXPECT_FALSE(model.canSubmit());
    model.toggle(3);
    EXPECT_TRUE(model.canSubmit());
    model.toggle(4);
    EXPECT_FALSE(model.canSubmit());
    EXPECT_TRUE(model.setData(model.index(4), Qt::Unchecked, Qt::CheckStateRole));
    EXPECT_TRUE(model.canSubmit());
    EXPECT_EQ(model.chosenContentIndexes(), (std::vector<uint32_t>{4, 1}));
    EXPECT_GE(changed.count(), 5);
}

TEST(OptionListModel, feedbackMarksEachOptionAndFreezesTheChoice) {
    OptionListModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setQuestion(question(v1::MULTIPLE_RESPONSE, 5, 2));
    model.toggle(0);  // content 4: right
    model.toggle(1);  // content 3: wrong
    v1::AnswerResponse a;
    a.add_correct_options(4);
    a.add_correct_options(0);
    for (int i = 0; i < 5; ++i)
        a.add_option_explanations("why " + std::to_string(i));
    model.setFeedback(a);
    using V = OptionListModel::Verdict;
    auto verdict = [&](int row) {
        return static_cast<V>(model.index(row).data(OptionListModel::VerdictRole).toInt());
    };
    EXPECT_EQ(verdict(0), V::ChosenRight);
    EXPECT_EQ(verdict(1), V::ChosenWrong);
    EXPECT_EQ(verdict(4), V::MissedRight);
    EXPECT_EQ(verdict(2), V::NotChosenWrong);
    EXPECT_EQ(model.index(1).data(OptionListModel::ExplanationRole).toString(), QStringLiteral("why 3"));
    EXPECT_EQ(model.correctRows(), (QList<int>{0, 4}));
    EXPECT_FALSE(model.flags(model.index(0)).testFlag(Qt::ItemIsUserCheckable));
    model.toggle(2);
    EXPECT_EQ(model.chosenCount(), 2);
    EXPECT_FALSE(model.canSubmit());
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(MasteryChangeModel, showsEachTaskStatementBeforeAfterAndChange) {
    MasteryChangeModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    v1::SessionSummary s;
    auto* up = s.add_mastery_changes();
    up->set_task_statement("1.1");
    up->set_before(0.50);
    up->set_after(0.62);
    auto* down = s.add_mastery_changes();
    down->set_task_statement("2.1");
    down->set_before(0.70);
    down->set_after(0.66);
    model.setSummary(s,
                     [](const std::string& id) { return id == "1.1" ? QStringLiteral("Data") : QString(); });
    model.setChangeColors(Qt::green, Qt::red);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.columnCount(), 4);
    EXPECT_EQ(model.index(0, 0).data().toString(), QStringLiteral("1.1  Data"));
    EXPECT_EQ(model.index(1, 0).data().toString(), QStringLiteral("2.1"));
    EXPECT_EQ(model.index(0, MasteryChangeModel::BeforeColumn).data().toString(), QStringLiteral("50 %"));
    EXPECT_EQ(model.index(0, MasteryChangeModel::ChangeColumn).data().toString(), QStringLiteral("+12"));
    EXPECT_EQ(model.index(1, MasteryChangeModel::ChangeColumn).data().toString(), QStringLiteral("−4"));
    EXPECT_EQ(model.index(1, MasteryChangeModel::ChangeColumn).data(Qt::ForegroundRole).value<QColor>(),
              QColor(Qt::red));
    EXPECT_NEAR(model.index(0, MasteryChangeModel::ChangeColumn).data(Qt::UserRole).toDouble(), 0.12, 1e-9);
    model.setSummary(v1::SessionSummary());
    EXPECT_EQ(model.rowCount(), 0);
}

}  // namespace
}  // namespace retain::test
