#include "desktop/views/progress_charts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "desktop/views/theme.h"

namespace retain::desktop::charts {

namespace {

QColor accent(const QPalette& p) {
    return p.color(QPalette::Highlight);
}

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

QChart* newChart(const QPalette& p) {
    auto* c = new QChart;
    c->setBackgroundBrush(p.color(QPalette::Base));
    c->setBackgroundRoundness(0);
    c->setPlotAreaBackgroundVisible(false);
    c->setMargins(QMargins(2, 2, 2, 2));
    c->layout()->setContentsMargins(0, 0, 0, 0);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setLabelColor(p.color(QPalette::Text));
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setTitleBrush(p.color(QPalette::Text));
    return c;
}

void styleAxis(QAbstractAxis* axis, const QPalette& p) {
    axis->setLabelsColor(theme::mutedTextColor(p));
    axis->setLinePenColor(p.color(QPalette::Mid));
    axis->setGridLineColor(mix(p.color(QPalette::Base), p.color(QPalette::Text), 0.12));
    axis->setShadesVisible(false);
    QFont f = axis->labelsFont();
    f.setPointSizeF(std::max(7.0, QFont().pointSizeF() * 0.85));
    axis->setLabelsFont(f);
}

QValueAxis* valueAxis(const QPalette& p, double lo, double hi, const QString& format, int ticks = 5) {
    auto* a = new QValueAxis;
    a->setRange(lo, hi);
    a->setLabelFormat(format);
    a->setTickCount(ticks);
    styleAxis(a, p);
    return a;
}

QDateTime at(const QDate& d) {
    return QDateTime(d, QTime(12, 0));
}

QDate iso(const std::string& s) {
    return QDate::fromString(QString::fromStdString(s), Qt::ISODate);
}

QDateTimeAxis* dateAxis(const QPalette& p, const QDate& from, const QDate& to) {
    auto* a = new QDateTimeAxis;
    a->setFormat(QStringLiteral("d MMM"));
    a->setRange(at(from.addDays(-1)), at(to.addDays(1)));
    a->setTickCount(std::clamp(static_cast<int>(from.daysTo(to)) + 1, 2, 6));
    styleAxis(a, p);
    return a;
}

// An axis with text at chosen values only, no grid: the heatmap's weeks and weekdays, and the days under
// bar charts (bar i stands at x = i). Unlike QBarCategoryAxis, which gives each label one bar's width and
// elides a date to "…", a label here may be as wide as the gap to the next one.
QCategoryAxis* labelledAxis(const QPalette& p, double lo, double hi,
                            const std::vector<std::pair<double, QString>>& labels) {
    auto* a = new QCategoryAxis;
    a->setRange(lo, hi);
    a->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (const auto& [at, text] : labels)
        a->append(text, at);
    styleAxis(a, p);
    a->setGridLineVisible(false);
    return a;
}

void attach(QChart* c, QAbstractSeries* s, QAbstractAxis* x, QAbstractAxis* y) {
    c->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
}

// Keeps axis labels short so long task statement titles do not squeeze the plot to nothing.
QString shortTitle(const QString& id, const QString& title, int max = 34) {
    QString t = title.size() > max ? title.left(max - 1).trimmed() + QStringLiteral("…") : title;
    return id.isEmpty() ? t : QStringLiteral("%1 %2").arg(id, t);
}

}  // namespace

QChart* mastery(const google::protobuf::RepeatedPtrField<v1::Mastery>& rows, const QPalette& p) {
    QChart* c = newChart(p);
    if (rows.empty())
        return c;
    auto* sure = new QBarSet(QStringLiteral("Below the estimate's band"));
    auto* below = new QBarSet(QStringLiteral("Estimate (−1 s.d.)"));
    auto* above = new QBarSet(QStringLiteral("+1 s.d."));
    const QColor a = accent(p);
    sure->setColor(a);
    below->setColor(mix(a, p.color(QPalette::Base), 0.45));
    above->setColor(mix(a, p.color(QPalette::Base), 0.78));
    for (QBarSet* s : {sure, below, above})
        s->setBorderColor(Qt::transparent);
    QStringList categories;
    // Bottom-up on a horizontal chart: add in reverse so the first row reads first.
    for (int i = rows.size() - 1; i >= 0; --i) {
        const v1::Mastery& m = rows[i];
        const double mean = std::clamp(m.mean(), 0.0, 1.0);
        const double lo = std::clamp(m.mean() - m.stddev(), 0.0, mean);
        const double hi = std::clamp(m.mean() + m.stddev(), mean, 1.0);
        *sure << lo * 100;
        *below << (mean - lo) * 100;
        *above << (hi - mean) * 100;
        categories << shortTitle(QString::fromStdString(m.id()), QString::fromStdString(m.title()));
    }
    auto* series = new QHorizontalStackedBarSeries;
    series->append({sure, below, above});
    series->setBarWidth(0.62);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    styleAxis(y, p);
    y->setGridLineVisible(false);
    auto* x = valueAxis(p, 0, 100, QStringLiteral("%d%"), 6);
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, series, x, y);
    c->legend()->hide();
    return c;
}

QChart* readiness(const v1::ReadinessHistory& history, const QPalette& p) {
    QChart* c = newChart(p);
    auto* line = new QLineSeries;
    line->setName(QStringLiteral("If sat that day"));
    // The forecast made each day for the exam date if the plan were kept (when there is an exam date).
    auto* forecast = new QLineSeries;
    forecast->setName(QStringLiteral("Exam date, plan kept"));
    QDate first, last;
    for (const auto& pt : history.points()) {
        const QDate d = iso(pt.date());
        if (!pt.enough_evidence() || !d.isValid())
            continue;
        const auto x = static_cast<qreal>(at(d).toMSecsSinceEpoch());
        line->append(x, pt.pass_probability() * 100);
        if (pt.has_exam_date_pass_probability())
            forecast->append(x, pt.exam_date_pass_probability() * 100);
        if (!first.isValid())
            first = d;
        last = d;
    }
    if (line->count() == 0) {
        delete line;
        delete forecast;
        return c;
    }
    QPen pen(accent(p));
    pen.setWidthF(2.5);
    line->setPen(pen);
    line->setPointsVisible(true);
    auto* x = dateAxis(p, first, last);
    auto* y = valueAxis(p, 0, 100, QStringLiteral("%d%"), 6);
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, line, x, y);
    if (forecast->count() == 0) {
        delete forecast;
        c->legend()->hide();
        return c;
    }
    QPen dashed(p.color(QPalette::WindowText));
    dashed.setWidthF(1.5);
    dashed.setStyle(Qt::DashLine);
    forecast->setPen(dashed);
    attach(c, forecast, x, y);
    c->legend()->setVisible(true);
    return c;
}

QChart* heatmap(const v1::ReviewHistory& history, const QDate& today, const QPalette& p, int weeks) {
    QChart* c = newChart(p);
    // Columns are weeks starting on Monday; the last column holds today.
    const QDate lastMonday = today.addDays(1 - today.dayOfWeek());
    const QDate start = lastMonday.addDays(-7 * (weeks - 1));
    std::map<QDate, uint32_t> reviews;
    uint32_t most = 0;
    for (const auto& d : history.days()) {
        const QDate day = iso(d.date());
        if (day.isValid() && day >= start && day <= today) {
            reviews[day] = d.reviews();
            most = std::max(most, d.reviews());
        }
    }
    if (reviews.empty())
        return c;
    // Five shades, from none to the busiest day; one series per shade so the legend explains them.
    constexpr int kLevels = 5;
    QScatterSeries* levels[kLevels];
    const QColor base = p.color(QPalette::Base), a = accent(p);
    const QColor empty = mix(base, p.color(QPalette::Text), theme::isDark(p) ? 0.14 : 0.08);
    const QString names[kLevels] = {QStringLiteral("none"), QStringLiteral("a few"), QStringLiteral("some"),
                                    QStringLiteral("many"), QStringLiteral("most")};
    for (int i = 0; i < kLevels; ++i) {
        levels[i] = new QScatterSeries;
        levels[i]->setName(names[i]);
        levels[i]->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        levels[i]->setMarkerSize(17);
        levels[i]->setColor(i == 0 ? empty : mix(base, a, 0.25 + 0.75 * (i - 1) / (kLevels - 2)));
        levels[i]->setBorderColor(Qt::transparent);
    }
    for (QDate d = start; d <= today; d = d.addDays(1)) {
        const auto it = reviews.find(d);
        const uint32_t n = it == reviews.end() ? 0 : it->second;
        int level = 0;
        if (n > 0)
            level = 1 + std::min(kLevels - 2, static_cast<int>((kLevels - 1) * (n - 1) / std::max(1u, most)));
        const qreal week = static_cast<qreal>(start.daysTo(d) / 7);
        levels[level]->append(week, 7 - d.dayOfWeek());  // Monday on top
    }
    std::vector<std::pair<double, QString>> weekLabels;
    for (int w = 0; w < weeks; w += 4)
        weekLabels.emplace_back(w, start.addDays(7 * w).toString(QStringLiteral("d MMM")));
    auto* x = labelledAxis(p, -0.6, weeks - 0.4, weekLabels);
    auto* y = labelledAxis(p, -0.6, 6.6,
                           {{0, QStringLiteral("Sun")},
                            {2, QStringLiteral("Fri")},
                            {4, QStringLiteral("Wed")},
                            {6, QStringLiteral("Mon")}});
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    for (QScatterSeries* s : levels)
        attach(c, s, x, y);
    c->legend()->setAlignment(Qt::AlignRight);
    return c;
}

QChart* dueForecast(const v1::DueForecast& forecast, const QPalette& p) {
    QChart* c = newChart(p);
    if (forecast.days().empty())
        return c;
    auto* set = new QBarSet(QStringLiteral("Due"));
    set->setColor(accent(p));
    set->setBorderColor(Qt::transparent);
    std::vector<std::pair<double, QString>> labels;
    uint32_t most = 0;
    for (int i = 0; i < forecast.days_size(); ++i) {
        const auto& d = forecast.days(i);
        *set << d.due();
        most = std::max(most, d.due());
        const QDate day = iso(d.date());
        if (i == 0)
            labels.emplace_back(i, QStringLiteral("today"));
        else if (i % 7 == 0 && day.isValid())
            labels.emplace_back(i, day.toString(QStringLiteral("d MMM")));
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.7);
    auto* x = labelledAxis(p, -0.5, forecast.days_size() - 0.5, labels);
    auto* y = valueAxis(p, 0, std::max<double>(5, std::ceil(most * 1.1)), QStringLiteral("%d"));
    y->applyNiceNumbers();
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, series, x, y);
    c->legend()->hide();
    return c;
}

QChart* timeStudied(const v1::ReviewHistory& history, const QDate& today, const QPalette& p, int days) {
    QChart* c = newChart(p);
    const QDate start = today.addDays(1 - days);
    std::map<QDate, double> minutes;
    for (const auto& d : history.days()) {
        const QDate day = iso(d.date());
        if (day.isValid() && day >= start && day <= today)
            minutes[day] = d.minutes();
    }
    if (minutes.empty())
        return c;
    auto* set = new QBarSet(QStringLiteral("Minutes"));
    set->setColor(theme::rightColor(p));
    set->setBorderColor(Qt::transparent);
    std::vector<std::pair<double, QString>> labels;
    double most = 0;
    for (int i = 0; i < days; ++i) {
        const QDate d = start.addDays(i);
        const auto it = minutes.find(d);
        const double m = it == minutes.end() ? 0 : it->second;
        *set << m;
        most = std::max(most, m);
        if (i == days - 1)
            labels.emplace_back(i, QStringLiteral("today"));
        else if ((days - 1 - i) % 7 == 0)
            labels.emplace_back(i, d.toString(QStringLiteral("d MMM")));
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.7);
    auto* x = labelledAxis(p, -0.5, days - 0.5, labels);
    c->setMargins(QMargins(2, 2, 16, 2));  // room for "today", centred under the last bar
    auto* y = valueAxis(p, 0, std::max(10.0, std::ceil(most * 1.1)), QStringLiteral("%d min"));
    y->applyNiceNumbers();
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, series, x, y);
    c->legend()->hide();
    return c;
}

QChart* retention(const v1::RetentionReport& report, const QPalette& p) {
    QChart* c = newChart(p);
    auto* predicted = new QLineSeries;
    predicted->setName(QStringLiteral("Predicted"));
    auto* actual = new QLineSeries;
    actual->setName(QStringLiteral("Actual"));
    QDate first, last;
    double lowest = report.desired_retention() > 0 ? report.desired_retention() : 0.9;
    for (const auto& w : report.weeks()) {
        const QDate d = iso(w.week_start());
        if (!d.isValid() || w.count() == 0)
            continue;
        const auto x = static_cast<qreal>(at(d).toMSecsSinceEpoch());
        predicted->append(x, w.predicted() * 100);
        actual->append(x, w.actual() * 100);
        lowest = std::min({lowest, w.predicted(), w.actual()});
        if (!first.isValid())
            first = d;
        last = d;
    }
    if (actual->count() == 0) {
        delete predicted;
        delete actual;
        return c;
    }
    QPen pp(mix(accent(p), p.color(QPalette::Base), 0.35));
    pp.setWidthF(2);
    pp.setStyle(Qt::DashLine);
    predicted->setPen(pp);
    QPen ap(accent(p));
    ap.setWidthF(2.5);
    actual->setPen(ap);
    for (QLineSeries* s : {predicted, actual})
        s->setPointsVisible(true);
    auto* x = dateAxis(p, first, std::max(last, first.addDays(7)));
    auto* y = valueAxis(p, std::max(0.0, std::floor(lowest * 10 - 0.5) * 10), 100, QStringLiteral("%d%"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, predicted, x, y);
    attach(c, actual, x, y);
    if (report.desired_retention() > 0) {
        auto* target = new QLineSeries;
        target->setName(QStringLiteral("Desired"));
        target->append(x->min().toMSecsSinceEpoch(), report.desired_retention() * 100);
        target->append(x->max().toMSecsSinceEpoch(), report.desired_retention() * 100);
        QPen tp(theme::mutedTextColor(p));
        tp.setStyle(Qt::DotLine);
        target->setPen(tp);
        attach(c, target, x, y);
    }
    return c;
}

QChart* calibration(const v1::RetentionReport& report, const QPalette& p) {
    QChart* c = newChart(p);
    auto* bins = new QScatterSeries;
    bins->setName(QStringLiteral("Actual per bin"));
    double lowest = 1;
    for (const auto& b : report.bins()) {
        if (b.count() == 0)
            continue;
        bins->append(b.mean_predicted() * 100, b.actual() * 100);
        lowest = std::min({lowest, b.mean_predicted(), b.actual()});
    }
    if (bins->count() == 0) {
        delete bins;
        return c;
    }
    bins->setColor(accent(p));
    bins->setBorderColor(Qt::transparent);
    bins->setMarkerSize(11);
    const double lo = std::max(0.0, std::floor(lowest * 10 - 0.5) * 10);
    auto* diagonal = new QLineSeries;
    diagonal->setName(QStringLiteral("Perfect calibration"));
    diagonal->append(lo, lo);
    diagonal->append(100, 100);
    QPen dp(theme::mutedTextColor(p));
    dp.setStyle(Qt::DashLine);
    diagonal->setPen(dp);
    auto* x = valueAxis(p, lo, 100, QStringLiteral("%d%"));
    x->setTitleText(QStringLiteral("predicted recall"));
    x->setTitleBrush(theme::mutedTextColor(p));
    auto* y = valueAxis(p, lo, 100, QStringLiteral("%d%"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, diagonal, x, y);
    attach(c, bins, x, y);
    return c;
}

double daysToRecall(const v1::ItemMemory& m, double r) {
    if (m.decay() <= 0 || m.stability() <= 0 || r <= 0 || r >= 1)
        return 0;
    const double factor = std::pow(0.9, -1.0 / m.decay()) - 1.0;
    return m.stability() / factor * (std::pow(r, -1.0 / m.decay()) - 1.0);
}

QChart* forgettingCurve(const v1::ItemMemory& m, double desired, const QPalette& p) {
    QChart* c = newChart(p);
    if (m.decay() <= 0 || m.stability() <= 0)
        return c;
    const double factor = std::pow(0.9, -1.0 / m.decay()) - 1.0;
    const double now = daysToRecall(m, std::clamp(m.retrievability(), 1e-6, 1 - 1e-9));
    const double due = daysToRecall(m, desired > 0 ? desired : 0.9);
    const double span = std::max({3.0, now * 1.25, due * 2.0});
    auto* curve = new QLineSeries;
    curve->setName(QStringLiteral("Recall probability"));
    constexpr int kSteps = 120;
    double lowest = 1;
    for (int i = 0; i <= kSteps; ++i) {
        const double t = span * i / kSteps;
        const double r = std::pow(1.0 + factor * t / m.stability(), -m.decay());
        curve->append(t, r * 100);
        lowest = std::min(lowest, r);
    }
    QPen pen(accent(p));
    pen.setWidthF(2.5);
    curve->setPen(pen);
    auto* marker = new QScatterSeries;
    marker->setName(QStringLiteral("Now"));
    marker->append(now, m.retrievability() * 100);
    marker->setColor(theme::warningColor(p));
    marker->setBorderColor(Qt::transparent);
    marker->setMarkerSize(11);
    auto* target = new QLineSeries;
    target->setName(QStringLiteral("Desired retention"));
    target->append(0, (desired > 0 ? desired : 0.9) * 100);
    target->append(span, (desired > 0 ? desired : 0.9) * 100);
    QPen tp(theme::mutedTextColor(p));
    tp.setStyle(Qt::DotLine);
    target->setPen(tp);
    auto* x = valueAxis(p, 0, span, span < 20 ? QStringLiteral("%.1f d") : QStringLiteral("%d d"));
    x->setTitleText(QStringLiteral("days since the last review"));
    x->setTitleBrush(theme::mutedTextColor(p));
    auto* y = valueAxis(p, std::max(0.0, std::floor(lowest * 10) * 10), 100, QStringLiteral("%d%"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    attach(c, target, x, y);
    attach(c, curve, x, y);
    attach(c, marker, x, y);
    return c;
}

int pointCount(const QChart* chart) {
    int n = 0;
    for (QAbstractSeries* s : chart->series()) {
        if (auto* xy = qobject_cast<QXYSeries*>(s))
            n += xy->count();
        else if (auto* bars = qobject_cast<QAbstractBarSeries*>(s))
            for (QBarSet* set : bars->barSets())
                n += set->count();
    }
    return n;
}

}  // namespace retain::desktop::charts
