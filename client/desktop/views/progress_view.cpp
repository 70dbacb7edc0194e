#include "desktop/views/progress_view.h"

#include <QChart>
#include <QChartView>
#include <QDate>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedLayout>
#include <QVBoxLayout>
#include <cmath>

#include "desktop/app/text_format.h"
#include "desktop/views/banner.h"
#include "desktop/views/progress_charts.h"
#include "desktop/views/stat_tile.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

ProgressView::ProgressView(DaemonSession* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_error(new Banner(QStringLiteral("Retry"))),
      m_subtitle(new QLabel),
      m_streak(new StatTile(QStringLiteral("Streak"))),
      m_retention(new StatTile(QStringLiteral("Recall of reviews"))),
      m_time(new StatTile(QStringLiteral("Time studied"))) {
    setFocusPolicy(Qt::StrongFocus);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus);
    outer->addWidget(scroll);
    auto* body = new QWidget;
    scroll->setWidget(body);
    auto* column = new QVBoxLayout(body);
    column->setContentsMargins(28, 22, 28, 22);
    column->setSpacing(14);

    auto* title = new QLabel(QStringLiteral("Progress"));
    title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(title);
    theme::makeMuted(m_subtitle);
    m_subtitle->setWordWrap(true);
    column->addWidget(m_subtitle);
    column->addWidget(m_error);
    connect(m_error, &Banner::actionClicked, this, &ProgressView::refresh);

    auto* tiles = new QHBoxLayout;
    tiles->setSpacing(14);
    for (StatTile* t : {m_streak, m_retention, m_time}) {
        t->setValueScale(1.6);
        tiles->addWidget(t, 1);
    }
    m_streak->setToolTip(QStringLiteral("Consecutive study days, and your longest run"));
    m_retention->setToolTip(
        QStringLiteral("Share of reviews (not first sight) you recalled, against your desired retention"));
    m_time->setToolTip(QStringLiteral("Minutes of answering over the last year"));
    column->addLayout(tiles);

    auto* grid = new QGridLayout;
    grid->setSpacing(14);
    grid->addWidget(card(Chart::DomainMastery, QStringLiteral("Mastery by domain"),
                         QStringLiteral("Answer a few questions and your mastery of each domain shows here."),
                         QStringLiteral("Chance of answering an unseen exam question right. The darker bar "
                                        "ends one standard deviation below the estimate; the lighter part "
                                        "spans ±1 s.d. around it (wide means uncertain).")),
                    0, 0);
    grid->addWidget(card(Chart::Readiness, QStringLiteral("Readiness over time"),
                         QStringLiteral("Your chance of passing appears once there is enough evidence: "
                                        "answer exam-style questions in every domain, or take a mock exam."),
                         QStringLiteral("Estimated probability of passing, one point per study day")),
                    0, 1);
    grid->addWidget(card(Chart::TaskMastery, QStringLiteral("Mastery by task statement"),
                         QStringLiteral("Each task statement of the blueprint gets a bar once you have "
                                        "studied it."),
                         QStringLiteral("As for domains, per task statement: bar to −1 s.d., light band "
                                        "±1 s.d.")),
                    1, 0, 1, 2);
    grid->addWidget(card(Chart::Heatmap, QStringLiteral("Reviews per day (last 26 weeks)"),
                         QStringLiteral("Every day you study fills a square here."),
                         QStringLiteral("Darker squares: more reviews that day")),
                    2, 0, 1, 2);
    grid->addWidget(card(Chart::DueForecast, QStringLiteral("Due in the next 30 days"),
                         QStringLiteral("Nothing is scheduled yet: items you study are planned here."),
                         QStringLiteral("Reviews due per day; today includes overdue ones")),
                    3, 0);
    grid->addWidget(card(Chart::TimeStudied, QStringLiteral("Time studied (last 30 days)"),
                         QStringLiteral("No study time in the last 30 days yet."),
                         QStringLiteral("Minutes spent answering per day")),
                    3, 1);
    grid->addWidget(card(Chart::Retention, QStringLiteral("Recall per week: predicted vs actual"),
                         QStringLiteral("Once you review items a second time, Retain compares what it "
                                        "predicted with what you recalled."),
                         QStringLiteral("Dashed: the model's mean prediction; solid: what you actually "
                                        "recalled; dotted: your desired retention")),
                    4, 0);
    grid->addWidget(card(Chart::Calibration, QStringLiteral("Calibration"),
                         QStringLiteral("Calibration needs reviews of items seen before."),
                         QStringLiteral("Each dot is a bin of reviews by predicted recall; on the dashed "
                                        "line the predictions were exactly right")),
                    4, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    column->addLayout(grid);
    column->addStretch(1);
}

QWidget* ProgressView::card(Chart which, const QString& title, const QString& emptyText, const QString& tip) {
    auto* frame = new QFrame;
    frame->setObjectName(QStringLiteral("tile"));
    frame->setToolTip(tip);
    auto* layout = new QVBoxLayout(frame);
    layout->setContentsMargins(14, 12, 14, 10);
    auto* heading = new QLabel(title);
    heading->setFont(theme::scaled(font(), 1.05, true));
    layout->addWidget(heading);
    auto* stack = new QStackedLayout;
    Card c;
    // Made with its first chart: a QChartView made empty creates a chart of its own, which setChart()
    // would then release to nobody (a leak the ASan run of the desktop tests found).
    c.view = new QChartView(charts::mastery({}, palette()));
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setFocusPolicy(Qt::NoFocus);
    c.view->setFrameShape(QFrame::NoFrame);
    // Fixed heights: charts keep their shape however tall the window, and the page scrolls.
    c.view->setFixedHeight(which == Chart::Heatmap ? 220 : 250);
    c.view->setBackgroundBrush(palette().color(QPalette::Base));
    c.empty = theme::wrappedLabel(emptyText);
    c.empty->setAlignment(Qt::AlignCenter);
    c.empty->setFixedHeight(which == Chart::Heatmap ? 220 : 250);
    theme::makeMuted(c.empty);
    stack->addWidget(c.empty);
    stack->addWidget(c.view);
    layout->addLayout(stack);
    c.stack = stack;
    m_cards[which] = c;
    return frame;
}

void ProgressView::refresh() {
    const quint64 generation = ++m_generation;
    m_failed = false;
    m_outstanding = 6;
    if (!m_loaded)
        m_subtitle->setText(QStringLiteral("Loading…"));
    const std::string learner = m_session->learner().id();
    using Op = DaemonSession::Operation;
    auto onError = [this, generation](const rpc::RpcError& e) {
        if (generation != m_generation || m_failed)
            return;
        m_failed = true;
        m_error->showMessage(QStringLiteral("<b>Could not load your progress.</b> ") +
                             describeError(e).toHtmlEscaped());
    };
    auto done = [this, generation] { partDone(generation); };

    v1::GetMasteryRequest mastery;
    mastery.set_learner_id(learner);
    m_session->call<v1::MasteryReport>(
        Op::Progress, this, [mastery](rpc::Client& c) { return c.mastery(mastery); },
        [this, done](const v1::MasteryReport& r) {
            m_mastery = r;
            done();
        },
        onError);
    v1::GetDueForecastRequest forecast;
    forecast.set_learner_id(learner);
    forecast.set_days(30);
    m_session->call<v1::DueForecast>(
        Op::Progress, this, [forecast](rpc::Client& c) { return c.dueForecast(forecast); },
        [this, done](const v1::DueForecast& r) {
            m_forecast = r;
            done();
        },
        onError);
    v1::GetReviewHistoryRequest history;
    history.set_learner_id(learner);
    m_session->call<v1::ReviewHistory>(
        Op::Progress, this, [history](rpc::Client& c) { return c.reviewHistory(history); },
        [this, done](const v1::ReviewHistory& r) {
            m_history = r;
            done();
        },
        onError);
    v1::GetRetentionRequest retention;
    retention.set_learner_id(learner);
    m_session->call<v1::RetentionReport>(
        Op::Progress, this, [retention](rpc::Client& c) { return c.retention(retention); },
        [this, done](const v1::RetentionReport& r) {
            m_retentionReport = r;
            done();
        },
        onError);
    v1::GetReadinessHistoryRequest readiness;
    readiness.set_learner_id(learner);
    m_session->call<v1::ReadinessHistory>(
        Op::Progress, this, [readiness](rpc::Client& c) { return c.readinessHistory(readiness); },
        [this, done](const v1::ReadinessHistory& r) {
            m_readiness = r;
            done();
        },
        onError);
    v1::GetTodayRequest today;
    today.set_learner_id(learner);
    m_session->call<v1::TodaySummary>(
        Op::Progress, this, [today](rpc::Client& c) { return c.today(today); },
        [this, done](const v1::TodaySummary& r) {
            m_today = QString::fromStdString(r.today());
            done();
        },
        onError);
}

void ProgressView::partDone(quint64 generation) {
    if (generation != m_generation || --m_outstanding > 0 || m_failed)
        return;
    m_error->clear();
    rebuild();
    m_loaded = true;
    Q_EMIT loaded();
}

void ProgressView::setChart(Chart which, QChart* chart) {
    Card& c = m_cards.at(which);
    QChart* old = c.view->chart();
    c.view->setChart(chart);
    delete old;
    c.stack->setCurrentWidget(chart->series().isEmpty() ? static_cast<QWidget*>(c.empty) : c.view);
}

void ProgressView::rebuild() {
    const QPalette& p = palette();
    QDate today = QDate::fromString(m_today, Qt::ISODate);
    if (!today.isValid())
        today = QDate::currentDate();
    setChart(Chart::DomainMastery, charts::mastery(m_mastery.domains(), p));
    // Only studied task statements: an unstudied one is the prior, not news.
    google::protobuf::RepeatedPtrField<v1::Mastery> studied;
    for (const auto& t : m_mastery.task_statements())
        if (t.items_seen() > 0)
            *studied.Add() = t;
    setChart(Chart::TaskMastery, charts::mastery(studied, p));
    m_cards.at(Chart::TaskMastery).view->setFixedHeight(std::max(250, 60 + 24 * studied.size()));
    setChart(Chart::Readiness, charts::readiness(m_readiness, p));
    setChart(Chart::Heatmap, charts::heatmap(m_history, today, p));
    setChart(Chart::DueForecast, charts::dueForecast(m_forecast, p));
    setChart(Chart::TimeStudied, charts::timeStudied(m_history, today, p));
    setChart(Chart::Retention, charts::retention(m_retentionReport, p));
    setChart(Chart::Calibration, charts::calibration(m_retentionReport, p));

    uint32_t reviews = 0;
    double minutes = 0;
    for (const auto& d : m_history.days()) {
        reviews += d.reviews();
        minutes += d.minutes();
    }
    m_subtitle->setText(reviews == 0 ? QStringLiteral("No study history yet. Study a few items from Today "
                                                      "(Ctrl+1) and your charts fill in as you go.")
                                     : QStringLiteral("%1 reviews on %2 study days over the last year.")
                                           .arg(reviews)
                                           .arg(m_history.days_size()));
    m_streak->setValue(m_history.current_streak() == 1
                           ? QStringLiteral("1 day")
                           : QStringLiteral("%1 days").arg(m_history.current_streak()));
    m_streak->setDetail(QStringLiteral("longest %1").arg(m_history.longest_streak()));
    const bool hasRetention = !m_retentionReport.weeks().empty();
    m_retention->setValue(
        hasRetention ? QStringLiteral("%1%").arg(m_retentionReport.actual_retention() * 100, 0, 'f', 1)
                     : QStringLiteral("—"));
    m_retention->setDetail(
        QStringLiteral("desired %1%")
            .arg(std::lround(
                (m_retentionReport.desired_retention() > 0 ? m_retentionReport.desired_retention() : 0.9) *
                100)));
    m_time->setValue(minutes < 60 ? QStringLiteral("%1 min").arg(std::lround(minutes))
                                  : QStringLiteral("%1 h").arg(minutes / 60, 0, 'f', 1));
    m_time->setDetail(QStringLiteral("%1 reviews").arg(reviews));
}

QChart* ProgressView::chart(Chart which) const {
    return m_cards.at(which).view->chart();
}

bool ProgressView::isEmpty(Chart which) const {
    const Card& c = m_cards.at(which);
    return c.stack->currentWidget() == c.empty;
}

QString ProgressView::errorText() const {
    return m_error->text();
}

void ProgressView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && m_loaded)
        rebuild();
    QWidget::changeEvent(event);
}

}  // namespace retain::desktop
