#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

#include "desktop/models/item_search_model.h"
#include "desktop/views/browse_view.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::BrowseView;
using desktop::ItemSearchModel;
using desktop::MainWindow;

class DesktopBrowse : public DesktopTest {
protected:
    BrowseView* openBrowse() {
        auto& w = openWindow();
        press(Qt::Key_5, Qt::ControlModifier);
        EXPECT_EQ(w.page(), MainWindow::Page::Browse);
        BrowseView* view = w.browseView();
        EXPECT_TRUE(settle(view));
        return view;
    }
    static bool settle(BrowseView* view) {
        return waitFor([&] { return !view->isLoading() && !view->table()->isHidden(); }) ||
               waitFor([&] { return !view->isLoading(); });
    }
    uint32_t total(const std::function<void(v1::SearchItemsRequest&)>& filter) {
        v1::SearchItemsRequest r;
        r.set_exam_code("MINI-01");
        r.set_learner_id(m_learner);
        filter(r);
        auto found = m_client->searchItems(r);
        EXPECT_TRUE(found) << found.error().format();
        return found ? found->total() : 0;
    }
    static void choose(QComboBox* box, const QString& text) {
        const int i = box->findText(text, Qt::MatchStartsWith);
        ASSERT_GE(i, 0) << text.toStdString();
        box->setCurrentIndex(i);
    }
};

TEST_F(DesktopBrowse, filtersByDomainTaskKindStateAndWords) {
    BrowseView* view = openBrowse();
    QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(static_cast<uint32_t>(view->model()->rowCount()), total([](auto&) {}));
    EXPECT_EQ(view->countText(), QStringLiteral("%1 items").arg(view->model()->rowCount()));

    choose(view->domainFilter(), QStringLiteral("2 "));
    ASSERT_TRUE(settle(view));
    EXPECT_EQ(view->model()->total(), total([](auto& r) { r.set_domain_id("2"); }));
    EXPECT_EQ(view->taskFilter()->count(), 2) << "any, and the light domain's one task statement";
    for (int row = 0; row < view->model()->rowCount(); ++row)
        EXPECT_EQ(view->model()->item(row)->domain_id(), "2");

    choose(view->domainFilter(), QStringLiteral("Any"));
    choose(view->taskFilter(), QStringLiteral("1.2"));
    choose(view->kindFilter(), QStringLiteral("Flashcard"));
    ASSERT_TRUE(settle(view));
    const uint32_t expected = total([](auto& r) {
        r.set_task_statement("1.2");
        r.set_kind(v1::FLASHCARD);
    });
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(view->model()->total(), expected);
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        EXPECT_EQ(view->model()->item(row)->kind(), v1::FLASHCARD);
        EXPECT_EQ(view->model()->item(row)->task_statement(), "1.2");
    }

    // Words: nothing matches nonsense, and the page says what to do.
    QTest::keyClicks(view->searchField(), QStringLiteral("zzqxnotaword"));
    QTest::keyClick(view->searchField(), Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return !view->isLoading() && view->model()->rowCount() == 0; }));
    EXPECT_TRUE(view->table()->isHidden());
    EXPECT_EQ(view->countText(), QStringLiteral("0 items"));
    view->searchField()->clear();
    choose(view->kindFilter(), QStringLiteral("Any"));
    choose(view->taskFilter(), QStringLiteral("Any"));
    ASSERT_TRUE(settle(view));

    // State: after studying, "New" no longer lists the studied items.
    const uint32_t all = view->model()->total();
    ASSERT_NO_FATAL_FAILURE(studyThroughApi(3));
    choose(view->stateFilter(), QStringLiteral("New"));
    ASSERT_TRUE(waitFor([&] { return !view->isLoading() && view->model()->total() == all - 3; }))
        << view->model()->total();
}

TEST_F(DesktopBrowse, suspendAndUnsuspendWithTheKeyShowsHistoryAndTheForgettingCurve) {
    ASSERT_NO_FATAL_FAILURE(studyThroughApi(2));
    BrowseView* view = openBrowse();
    // Pick a studied item: it has a history and a curve.
    int studied = -1;
    for (int row = 0; row < view->model()->rowCount() && studied < 0; ++row)
        if (view->model()->item(row)->memory().reviews() > 0)
            studied = row;
    ASSERT_GE(studied, 0);
    const std::string id = view->model()->item(studied)->id();
    view->table()->setFocus();
    view->selectRow(studied);
    ASSERT_TRUE(waitFor([&] { return view->detail().item().id() == id && !view->isLoading(); }));
    EXPECT_TRUE(view->historyText().contains(QStringLiteral("History")));
    EXPECT_FALSE(view->curveView()->isHidden());
    EXPECT_EQ(view->curveView()->chart()->series().size(), 3);
    EXPECT_EQ(view->suspendButton()->text(), QStringLiteral("Suspend"));

    QTest::keyClick(view->table(), Qt::Key_S);
    ASSERT_TRUE(waitFor([&] { return view->detail().suspended() && !view->isLoading(); }));
    EXPECT_TRUE(detail(id).suspended()) << "the daemon has it suspended";
    EXPECT_EQ(view->suspendButton()->text(), QStringLiteral("Unsuspend"));
    const int row = view->model()->rowOf(id);
    EXPECT_EQ(view->model()->index(row, ItemSearchModel::StateColumn).data().toString(),
              QStringLiteral("Suspended"));

    choose(view->stateFilter(), QStringLiteral("Suspended"));
    ASSERT_TRUE(waitFor([&] { return !view->isLoading() && view->model()->total() == 1; }));
    EXPECT_EQ(view->model()->item(0)->id(), id);

    view->suspendButton()->click();
    ASSERT_TRUE(waitFor([&] { return !view->detail().suspended() && !view->isLoading(); }));
    EXPECT_FALSE(detail(id).suspended());
}

TEST_F(DesktopBrowse, aNewItemHasNoCurveAndSaysSo) {
    BrowseView* view = openBrowse();
    ASSERT_GT(view->model()->rowCount(), 0);
    ASSERT_TRUE(waitFor([&] { return !view->detail().item().id().empty() && !view->isLoading(); }));
    EXPECT_TRUE(view->curveView()->isHidden());
    EXPECT_TRUE(view->historyText().isEmpty());
}

TEST(ItemSearchModel, appendsPagesAndAsksForMoreOnlyWhenThereIsAnother) {
    ItemSearchModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    v1::SearchItemsResponse first;
    first.set_total(3);
    first.set_next_page_token("p2");
    for (const char* id : {"a", "b"})
        first.add_items()->set_id(id);
    QStringList asked;
    QObject::connect(&model, &ItemSearchModel::morePageWanted, [&](const QString& t) { asked << t; });
    model.setFirstPage(first);
    // The tester may already have asked; however often views ask, the next page is wanted once.
    model.fetchMore(QModelIndex());
    model.fetchMore(QModelIndex());
    EXPECT_EQ(asked, QStringList{QStringLiteral("p2")});
    EXPECT_FALSE(model.canFetchMore(QModelIndex())) << "asked, waiting for the page";
    v1::SearchItemsResponse second;
    second.set_total(3);
    second.add_items()->set_id("c");
    model.appendPage(second);
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_FALSE(model.canFetchMore(QModelIndex()));
    v1::ItemMemory suspended;
    suspended.set_state(v1::SUSPENDED);
    model.updateItem("b", suspended);
    EXPECT_TRUE(model.index(1, 0).data(ItemSearchModel::SuspendedRole).toBool());
}

}  // namespace
}  // namespace retain::test
