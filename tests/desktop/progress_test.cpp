#include <QCategoryAxis>
#include <QChart>

#include "desktop/views/progress_charts.h"
#include "desktop/views/progress_view.h"
#include "desktop/views/stat_tile.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::MainWindow;
using desktop::ProgressView;
using Chart = desktop::ProgressView::Chart;

class DesktopProgress : public DesktopTest {
protected:
    ProgressView* openProgress() {
        auto& w = openWindow();
        press(Qt::Key_4, Qt::ControlModifier);
        EXPECT_EQ(w.page(), MainWindow::Page::Progress);
        ProgressView* view = w.progressView();
        EXPECT_TRUE(waitFor([&] { return view->isLoaded(); })) << view->errorText().toStdString();
        return view;
    }
};

TEST_F(DesktopProgress, dashboardsFilledFromRealAnswersHaveSeriesWithPoints) {
    // Three study days, then a review of the first day's items two days later.
    ASSERT_NO_FATAL_FAILURE(studyThroughApi(6));
    ASSERT_NO_FATAL_FAILURE(advanceDays(1));
    ASSERT_NO_FATAL_FAILURE(studyThroughApi(5));
    ASSERT_NO_FATAL_FAILURE(advanceDays(3));
    ASSERT_NO_FATAL_FAILURE(studyThroughApi(6));

    ProgressView* view = openProgress();
    EXPECT_TRUE(view->errorText().isEmpty());
    for (Chart c :
         {Chart::DomainMastery, Chart::TaskMastery, Chart::Heatmap, Chart::DueForecast, Chart::TimeStudied}) {
        EXPECT_FALSE(view->isEmpty(c)) << static_cast<int>(c);
        EXPECT_FALSE(view->chart(c)->series().isEmpty()) << static_cast<int>(c);
        EXPECT_GT(desktop::charts::pointCount(view->chart(c)), 0) << static_cast<int>(c);
    }
    // Two domains, each a bar of three stacked parts; the heatmap holds a square per day.
    EXPECT_EQ(desktop::charts::pointCount(view->chart(Chart::DomainMastery)), 2 * 3);
    EXPECT_GT(desktop::charts::pointCount(view->chart(Chart::Heatmap)), 25 * 7);
    EXPECT_EQ(view->streakTile()->detail(), QStringLiteral("longest 2"));
    EXPECT_EQ(view->timeTile()->detail(), QStringLiteral("17 reviews"));
    // Readiness needs far more questions than this.
    EXPECT_TRUE(view->isEmpty(Chart::Readiness));
    // The day charts label today and a date a week, each whole (not elided to fit one bar's width).
    for (Chart c : {Chart::DueForecast, Chart::TimeStudied}) {
        const auto axes = view->chart(c)->axes(Qt::Horizontal);
        ASSERT_EQ(axes.size(), 1);
        auto* x = qobject_cast<QCategoryAxis*>(axes.front());
        ASSERT_NE(x, nullptr) << static_cast<int>(c);
        const QStringList labels = x->categoriesLabels();
        EXPECT_EQ(labels.size(), 5) << labels.join(u',').toStdString();
        EXPECT_TRUE(labels.contains(QStringLiteral("today")));
        for (const QString& l : labels)
            EXPECT_TRUE(
                l == QStringLiteral("today") ||
                QDate::fromString(l + QStringLiteral(" 2026"), QStringLiteral("d MMM yyyy")).isValid())
                << l.toStdString();
    }
}

TEST_F(DesktopProgress, aNewLearnerSeesWhatWillAppearInsteadOfEmptyCharts) {
    ProgressView* view = openProgress();
    for (Chart c : {Chart::Heatmap, Chart::TimeStudied, Chart::Retention, Chart::Calibration,
                    Chart::Readiness, Chart::TaskMastery})
        EXPECT_TRUE(view->isEmpty(c)) << static_cast<int>(c);
    // Mastery shows the prior: every domain starts uncertain, not at zero.
    EXPECT_FALSE(view->isEmpty(Chart::DomainMastery));
    EXPECT_EQ(view->timeTile()->value(), QStringLiteral("0 min"));
}

TEST_F(DesktopProgress, anUnreachableDaemonIsShownOnThePage) {
    auto& w = openWindow();
    stopDaemon();
    w.showPage(MainWindow::Page::Progress);
    ASSERT_TRUE(waitFor([&] { return !w.progressView()->errorText().isEmpty(); }, 15000));
    EXPECT_TRUE(w.progressView()->errorText().contains(QStringLiteral("not reachable")));
}

TEST(ProgressCharts, retentionAndCalibrationPlotPredictedAgainstActual) {
    v1::RetentionReport r;
    r.set_desired_retention(0.9);
    r.set_actual_retention(0.85);
    for (int i = 0; i < 3; ++i) {
        auto* w = r.add_weeks();
        w->set_week_start(QDate(2026, 5, 4).addDays(7 * i).toString(Qt::ISODate).toStdString());
        w->set_predicted(0.9);
        w->set_actual(0.8 + 0.05 * i);
        w->set_count(20);
        auto* b = r.add_bins();
        b->set_mean_predicted(0.7 + 0.1 * i);
        b->set_actual(0.65 + 0.1 * i);
        b->set_count(10);
    }
    r.add_bins()->set_count(0);  // an empty bin is not a point
    const QPalette p;
    std::unique_ptr<QChart> retention(desktop::charts::retention(r, p));
    EXPECT_EQ(desktop::charts::pointCount(retention.get()), 3 + 3 + 2) << "predicted, actual, desired line";
    std::unique_ptr<QChart> calibration(desktop::charts::calibration(r, p));
    EXPECT_EQ(desktop::charts::pointCount(calibration.get()), 2 + 3) << "diagonal, bins";
    std::unique_ptr<QChart> empty(desktop::charts::retention(v1::RetentionReport(), p));
    EXPECT_TRUE(empty->series().isEmpty());
}

TEST(ProgressCharts, readinessOverTimeDrawsTheExamDateForecastBesideItWhenThereIsOne) {
    const QPalette p;
    v1::ReadinessHistory h;
    for (int d = 1; d <= 3; ++d) {
        auto* pt = h.add_points();
        pt->set_date("2027-01-0" + std::to_string(d));
        pt->set_enough_evidence(true);
        pt->set_pass_probability(0.2 * d);
        if (d > 1)  // the exam date was set on the second day
            pt->set_exam_date_pass_probability(0.3 * d);
    }
    std::unique_ptr<QChart> both(desktop::charts::readiness(h, p));
    ASSERT_EQ(both->series().size(), 2);
    EXPECT_EQ(desktop::charts::pointCount(both.get()), 3 + 2);
    EXPECT_TRUE(both->legend()->isVisible()) << "two lines need their names";
    for (auto& pt : *h.mutable_points())
        pt.clear_exam_date_pass_probability();
    std::unique_ptr<QChart> one(desktop::charts::readiness(h, p));
    EXPECT_EQ(one->series().size(), 1);
    EXPECT_FALSE(one->legend()->isVisible());
}

TEST(ProgressCharts, theForgettingCurvePassesThroughTheDaemonsRecallNow) {
    v1::ItemMemory m;
    m.set_stability(10);
    m.set_decay(0.1542);
    m.set_retrievability(0.8);
    // At t = S the curve is at 90 % by definition of stability.
    EXPECT_NEAR(desktop::charts::daysToRecall(m, 0.9), 10.0, 1e-9);
    const double now = desktop::charts::daysToRecall(m, 0.8);
    EXPECT_GT(now, 10.0);
    std::unique_ptr<QChart> c(desktop::charts::forgettingCurve(m, 0.9, QPalette()));
    ASSERT_EQ(c->series().size(), 3);
    EXPECT_GT(desktop::charts::pointCount(c.get()), 100);
    v1::ItemMemory fresh;
    std::unique_ptr<QChart> none(desktop::charts::forgettingCurve(fresh, 0.9, QPalette()));
    EXPECT_TRUE(none->series().isEmpty()) << "a new item has no curve";
}

}  // namespace
}  // namespace retain::test
