#include "desktop/views/today_view.h"

#include <QComboBox>

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "desktop/app/text_format.h"
#include "desktop/views/keys.h"
#include "desktop/views/stat_tile.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

TodayView::TodayView(QWidget* parent)
    : QWidget(parent),
      m_title(new QLabel(QStringLiteral("Today"))),
      m_subtitle(new QLabel),
      m_examNote(theme::wrappedLabel()),
      m_errorBanner(new QFrame),
      m_error(theme::wrappedLabel()),
      m_due(new StatTile(QStringLiteral("Due"))),
      m_new(new StatTile(QStringLiteral("New"))),
      m_time(new StatTile(QStringLiteral("Time"))),
      m_streak(new StatTile(QStringLiteral("Streak"))),
      m_exam(new StatTile(QStringLiteral("Exam"))),
      m_readiness(new StatTile(QStringLiteral("Readiness"))),
      m_seen(new QProgressBar),
      m_seenLabel(new QLabel),
      m_plan(new QLabel),
      m_todaySoFar(new QLabel),
      m_study(new QPushButton(QStringLiteral("Study now"))),
      m_studyHint(new QLabel(QStringLiteral("Press Enter to start"))),
      m_focus(new QComboBox),
      m_focusButton(new QPushButton(QStringLiteral("Study this"))),
      m_mistakes(new QPushButton(QStringLiteral("Review my mistakes"))),
      m_next(new QLabel) {
    setFocusPolicy(Qt::StrongFocus);
    auto* outer = new QHBoxLayout(this);
    auto* column = new QVBoxLayout;
    outer->addStretch(1);
    outer->addLayout(column, 12);
    outer->addStretch(1);
    column->setContentsMargins(0, 24, 0, 24);
    column->setSpacing(14);

    m_title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(m_title);
    theme::makeMuted(m_subtitle);
    column->addWidget(m_subtitle);
    theme::makeMuted(m_examNote);
    m_examNote->hide();
    column->addWidget(m_examNote);

    m_errorBanner->setObjectName(QStringLiteral("banner"));
    auto* bannerLayout = new QHBoxLayout(m_errorBanner);
    auto* retry = new QPushButton(QStringLiteral("Retry"));
    retry->setFocusPolicy(Qt::NoFocus);
    retry->setToolTip(QStringLiteral("Ask the daemon for today's numbers again"));
    bannerLayout->addWidget(m_error, 1);
    bannerLayout->addWidget(retry);
    m_errorBanner->hide();
    column->addWidget(m_errorBanner);
    connect(retry, &QPushButton::clicked, this, &TodayView::retryRequested);

    auto* counts = new QHBoxLayout;
    counts->setSpacing(14);
    for (StatTile* t : {m_due, m_new, m_time, m_streak})
        counts->addWidget(t, 1);
    column->addLayout(counts);

    column->addSpacing(10);
    m_study->setObjectName(QStringLiteral("primary"));
    m_study->setFont(theme::scaled(font(), 1.35, true));
    m_study->setMinimumHeight(m_study->fontMetrics().height() * 2 + 12);
    m_study->setMinimumWidth(m_study->fontMetrics().horizontalAdvance(QStringLiteral("All done for today")) +
                             96);
    m_study->setFocusPolicy(Qt::NoFocus);
    m_study->setToolTip(
        QStringLiteral("Start today's session: due reviews and new items, most useful first (Enter)"));
    m_study->setEnabled(false);
    connect(m_study, &QPushButton::clicked, this, &TodayView::studyRequested);
    auto* studyRow = new QHBoxLayout;
    studyRow->addStretch(1);
    studyRow->addWidget(m_study);
    studyRow->addStretch(1);
    column->addLayout(studyRow);
    theme::makeMuted(m_studyHint);
    m_studyHint->setAlignment(Qt::AlignHCenter);
    m_studyHint->setWordWrap(true);
    column->addWidget(m_studyHint);

    // Focused study: a domain or task statement (new items included, beyond the daily limit), or the
    // learner's recent mistakes; and what the readiness model says to study next.
    auto* focusRow = new QHBoxLayout;
    auto* focusLabel = new QLabel(QStringLiteral("Focus on"));
    focusLabel->setBuddy(m_focus);
    m_focus->setAccessibleName(QStringLiteral("Domain or task statement to focus on"));
    m_focus->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_focus->setMinimumContentsLength(24);
    m_focusButton->setToolTip(
        QStringLiteral("A session on the chosen domain or task statement only, new items included"));
    m_mistakes->setToolTip(QStringLiteral("The items you recently got wrong or rated Again"));
    connect(m_focusButton, &QPushButton::clicked, this, [this] {
        const QString scope = m_focus->currentData().toString();
        if (!scope.isEmpty())
            Q_EMIT focusRequested(scope);
    });
    connect(m_mistakes, &QPushButton::clicked, this, &TodayView::mistakesRequested);
    focusRow->addStretch(1);
    focusRow->addWidget(focusLabel);
    focusRow->addWidget(m_focus);
    focusRow->addWidget(m_focusButton);
    focusRow->addSpacing(16);
    focusRow->addWidget(m_mistakes);
    focusRow->addStretch(1);
    column->addLayout(focusRow);
    m_next->setObjectName(QStringLiteral("studyNext"));
    m_next->setAlignment(Qt::AlignHCenter);
    m_next->setWordWrap(true);
    m_next->setTextFormat(Qt::RichText);
    m_next->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_next->hide();
    connect(m_next, &QLabel::linkActivated, this,
            [this](const QString& scope) { Q_EMIT focusRequested(scope); });
    column->addWidget(m_next);
    column->addSpacing(10);

    auto* outlook = new QHBoxLayout;
    outlook->setSpacing(14);
    outlook->addWidget(m_exam, 1);
    outlook->addWidget(m_readiness, 1);
    // Tiles in a row share its height, whatever the length of their text.
    for (StatTile* t : {m_due, m_new, m_time, m_streak, m_exam, m_readiness})
        t->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    column->addLayout(outlook);

    m_due->setToolTip(QStringLiteral("Reviews scheduled for today or earlier"));
    m_new->setToolTip(QStringLiteral("New items you may still start today (your daily limit)"));
    m_time->setToolTip(QStringLiteral("Estimated from your own response times once there are enough"));
    m_streak->setToolTip(QStringLiteral("Consecutive days with at least one review"));
    m_exam->setValueScale(1.6);
    m_readiness->setValueScale(1.6);
    m_readiness->setValue(QStringLiteral("Not enough evidence yet"));
    m_readiness->setDetail(
        QStringLiteral("Your chance of passing, with a scaled-score range, arrives with timed mock exams. "
                       "Until then every answer you give is evidence for it."));
    m_readiness->setToolTip(
        QStringLiteral("Readiness is estimated from mock-exam and question results; Retain shows no number "
                       "until it has the evidence for an honest one."));

    auto* seenRow = new QHBoxLayout;
    m_seen->setTextVisible(false);
    m_seen->setMaximumHeight(10);
    m_seen->setToolTip(QStringLiteral("Items of the exam's content you have studied at least once"));
    seenRow->addWidget(m_seenLabel);
    seenRow->addWidget(m_seen, 1);
    column->addSpacing(4);
    column->addLayout(seenRow);
    // The plan in a sentence (the daemon's words): the pace, its end, consolidation, any limit in force.
    m_plan->setWordWrap(true);
    m_plan->setObjectName(QStringLiteral("plan"));
    m_plan->setAccessibleName(QStringLiteral("Study plan"));
    column->addWidget(m_plan);
    theme::makeMuted(m_todaySoFar);
    column->addWidget(m_todaySoFar);

    column->addStretch(1);
    setLoading();
}

void TodayView::setLearner(const v1::Learner& learner, const v1::Blueprint& blueprint) {
    m_examCode = QString::fromStdString(learner.settings().exam_code());
    const QString kept = m_focus->currentData().toString();
    m_focus->clear();
    for (const auto& d : blueprint.domains()) {
        m_focus->addItem(QStringLiteral("Domain %1 · %2")
                             .arg(QString::fromStdString(d.id()), QString::fromStdString(d.name())),
                         QString::fromStdString(d.id()));
        for (const auto& ts : d.task_statements())
            m_focus->addItem(QStringLiteral("    %1 · %2")
                                 .arg(QString::fromStdString(ts.id()), QString::fromStdString(ts.title())),
                             QString::fromStdString(ts.id()));
    }
    if (const int i = m_focus->findData(kept); i >= 0)
        m_focus->setCurrentIndex(i);
    m_focusButton->setEnabled(m_focus->count() > 0);
    const QString who = QString::fromStdString(
        learner.settings().display_name().empty() ? learner.name() : learner.settings().display_name());
    QString exam = m_examCode;
    if (!blueprint.name().empty())
        exam += QStringLiteral(" · ") + QString::fromStdString(blueprint.name());
    m_subtitle->setText(exam.isEmpty() ? who : QStringLiteral("%1 — studying %2").arg(who, exam));
    if (blueprint.status().retired()) {
        // The content's own note says it best when there is one; it names the date already.
        const QString note = blueprint.status().note().empty()
                                 ? QStringLiteral("The vendor retired this exam on %1.")
                                       .arg(longDateText(blueprint.status().retired_on()))
                                 : safeTextToHtml(blueprint.status().note());
        m_examNote->setText(QStringLiteral("<b>Retired exam.</b> ") + note);
        m_examNote->show();
    } else {
        m_examNote->hide();
    }
}

void TodayView::setLoading() {
    if (!m_hasToday) {
        for (StatTile* t : {m_due, m_new, m_time, m_streak, m_exam})
            t->setValue(QStringLiteral("…"));
        m_seenLabel->setText(QStringLiteral("Loading today's numbers…"));
    }
    m_studyHint->setText(QStringLiteral("Loading…"));
}

void TodayView::setToday(const v1::TodaySummary& t) {
    m_hasToday = true;
    m_errorBanner->hide();
    m_title->setText(QStringLiteral("Today · %1").arg(longDateText(t.today())));

    m_due->setValue(QString::number(t.due()));
    m_due->setDetail(t.due() == 1 ? QStringLiteral("review due") : QStringLiteral("reviews due"));
    m_new->setValue(QString::number(t.new_available()));
    m_new->setDetail(QStringLiteral("new items available"));
    const int minutes = static_cast<int>(std::lround(t.estimated_minutes()));
    m_time->setValue(t.estimated_minutes() > 0 && minutes == 0 ? QStringLiteral("<1 min")
                                                               : QStringLiteral("%1 min").arg(minutes));
    m_time->setDetail(QStringLiteral("estimated for all of it"));
    m_streak->setValue(t.current_streak() == 1 ? QStringLiteral("1 day")
                                               : QStringLiteral("%1 days").arg(t.current_streak()));
    m_streak->setDetail(t.reviewed_today() > 0   ? QStringLiteral("studied today — well done")
                        : t.current_streak() > 0 ? QStringLiteral("study today to keep it")
                                                 : QStringLiteral("start one today"));

    const QString code =
        QString::fromStdString(t.exam_code()).isEmpty() ? m_examCode : QString::fromStdString(t.exam_code());
    m_exam->setCaption(code.isEmpty() ? QStringLiteral("Exam") : QStringLiteral("Exam · %1").arg(code));
    if (t.exam_date().empty()) {
        m_exam->setValue(QStringLiteral("No date set"));
        m_exam->setDetail(
            QStringLiteral("Set one in Settings (Ctrl+6) to pace new material before the exam."));
    } else if (t.days_to_exam() > 1) {
        m_exam->setValue(QStringLiteral("%1 days left").arg(t.days_to_exam()));
        m_exam->setDetail(QStringLiteral("on %1").arg(longDateText(t.exam_date())));
    } else if (t.days_to_exam() == 1) {
        m_exam->setValue(QStringLiteral("Tomorrow"));
        m_exam->setDetail(QStringLiteral("on %1 — good luck").arg(longDateText(t.exam_date())));
    } else if (t.days_to_exam() == 0) {
        m_exam->setValue(QStringLiteral("Today"));
        m_exam->setDetail(QStringLiteral("Good luck!"));
    } else {
        m_exam->setValue(QStringLiteral("Date passed"));
        m_exam->setDetail(QStringLiteral("was %1 — set a new date if you are retaking it")
                              .arg(longDateText(t.exam_date())));
    }

    m_seen->setRange(0, static_cast<int>(std::max<uint32_t>(1, t.items_total())));
    m_seen->setValue(static_cast<int>(t.items_seen()));
    m_seenLabel->setText(QStringLiteral("Items seen: %1 of %2").arg(t.items_seen()).arg(t.items_total()));
    m_plan->setText(QStringLiteral("Plan: %1").arg(QString::fromStdString(t.plan())));
    m_plan->setVisible(!t.plan().empty());
    m_todaySoFar->setText(
        t.reviewed_today() == 0
            ? QStringLiteral("No reviews yet today.")
            : QStringLiteral("Today so far: %1 %2 in %3.")
                  .arg(t.reviewed_today())
                  .arg(t.reviewed_today() == 1 ? QStringLiteral("review") : QStringLiteral("reviews"))
                  .arg(minutesText(t.minutes_today()).remove(QStringLiteral("about "))));

    // "All done" only when nothing worth studying is left; when today's minutes are used and there is
    // more, the learner may keep going. The daemon says which, and why.
    const bool work = t.due() + t.new_available() + t.ahead_available() > 0;
    const bool minutesUsed = work && !t.status().empty();
    m_study->setEnabled(work);
    m_study->setText(!work         ? QStringLiteral("All done for today")
                     : minutesUsed ? QStringLiteral("Keep going")
                                   : QStringLiteral("Study now"));
    m_studyHint->setText(work && !minutesUsed ? QStringLiteral("Press Enter to start")
                                              : QString::fromStdString(t.status()));
}

void TodayView::setReadiness(const v1::Readiness& r) {
    // Study next: the three statements whose mastery would raise the pass probability most.
    QStringList next;
    for (const auto& rec : r.recommendations()) {
        if (next.size() == 3 || rec.pass_probability_gain() < 0.005)
            break;
        const QString ts = QString::fromStdString(rec.task_statement()).toHtmlEscaped();
        const long points = std::max(1L, std::lround(rec.pass_probability_gain() * 100));
        next << QStringLiteral("<a href=\"%1\">%1 %2</a> (+%3 %4)")
                    .arg(ts, QString::fromStdString(rec.title()).toHtmlEscaped())
                    .arg(points)
                    .arg(points == 1 ? QStringLiteral("point") : QStringLiteral("points"));
    }
    m_next->setText(next.isEmpty() ? QString()
                                   : QStringLiteral("Study next: ") + next.join(QStringLiteral(" · ")));
    m_next->setToolTip(
        QStringLiteral("Points of pass probability if you mastered the task statement; click to focus"));
    m_next->setVisible(!next.isEmpty());
    if (!r.enough_evidence()) {
        m_readiness->setValue(QStringLiteral("Not enough evidence yet"));
        // The first need is the headline; the rest are per domain and live on the Progress page.
        QString detail = r.missing().empty()
                             ? QStringLiteral("Answer more questions and take mock exams.")
                             : QStringLiteral("Still needed: %1.").arg(QString::fromStdString(r.missing(0)));
        if (r.missing_size() > 1)
            detail += QStringLiteral(" Mock exams and practice questions count.");
        m_readiness->setDetail(detail);
        m_readiness->setToolTip(
            QStringLiteral("Readiness needs answers to exam-style questions on every domain."));
        return;
    }
    m_readiness->setValue(QStringLiteral("%1% chance to pass").arg(std::lround(r.pass_probability() * 100)));

    // The pass probability rests on a raw cut the vendor does not publish: say so where the number is.
    QString assumption = QStringLiteral(
                             "An estimate, not an official figure: it assumes that a scaled score of "
                             "%1 needs %2% of the scored questions right.")
                             .arg(r.passing_scaled_score())
                             .arg(std::lround(r.assumed_cut_fraction() * 100));
    if (!r.assumption_note().empty())
        assumption += QStringLiteral("\n\n") + QString::fromStdString(r.assumption_note());
    m_readiness->setToolTip(assumption);
    // The range first: a learner with little evidence of unseen questions should read a wide one.
    // A range is never "0 %" or "100 %": the model is not that sure of anything.
    const auto percent = [](double p) { return std::clamp(std::lround(p * 100), 1L, 99L); };
    const QString score = QStringLiteral("Scaled score about %1 (%2–%3; pass %4)")
                              .arg(std::lround(r.scaled_score()))
                              .arg(std::lround(r.scaled_score_low()))
                              .arg(std::lround(r.scaled_score_high()))
                              .arg(r.passing_scaled_score());
    if (!r.has_today()) {
        m_readiness->setDetail(QStringLiteral("Likely %1–%2% (80% range). %3 on %4")
                                   .arg(percent(r.pass_probability_low()))
                                   .arg(percent(r.pass_probability_high()))
                                   .arg(score, longDateText(r.date())));
        return;
    }
    // A later date: the forecast assumes the plan is kept; today's estimate beside it, named as such.
    m_readiness->setDetail(
        QStringLiteral("Likely %1–%2% on %3 if you keep to your plan; %4% (%5–%6%) if you sat "
                       "it today. %7 on %3.")
            .arg(percent(r.pass_probability_low()))
            .arg(percent(r.pass_probability_high()))
            .arg(longDateText(r.date()))
            .arg(percent(r.today().pass_probability()))
            .arg(percent(r.today().pass_probability_low()))
            .arg(percent(r.today().pass_probability_high()))
            .arg(score));
    m_readiness->setToolTip(
        QStringLiteral("The plan: about %1 new items and %2 answers by then, at your daily "
                       "limit and your pace of the last two weeks.\n\n")
            .arg(r.planned_new_items())
            .arg(r.planned_answers()) +
        assumption);
}

void TodayView::showError(const QString& message) {
    m_error->setText(QStringLiteral("<b>Could not load today's numbers.</b> ") + message.toHtmlEscaped());
    m_errorBanner->show();
    m_studyHint->setText(QString());
}

QString TodayView::errorText() const {
    return !m_errorBanner->isHidden() ? m_error->text() : QString();
}

void TodayView::keyPressEvent(QKeyEvent* event) {
    if (keys::isEnter(event)) {
        if (m_study->isEnabled())
            Q_EMIT studyRequested();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
