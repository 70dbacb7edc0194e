#include "desktop/views/review_view.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>

#include "desktop/app/item_preview.h"
#include "desktop/app/text_format.h"
#include "desktop/models/option_list_model.h"
#include "desktop/views/flashcard_panel.h"
#include "desktop/views/question_panel.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {

constexpr int kColumnWidth = 880;

const char* kindName(v1::ItemKind kind) {
    switch (kind) {
        case v1::FLASHCARD:
            return "Flashcard";
        case v1::MULTIPLE_CHOICE:
            return "Multiple choice";
        case v1::MULTIPLE_RESPONSE:
            return "Multiple response";
        default:
            return "Item";
    }
}

const char* ratingName(v1::Rating r) {
    switch (r) {
        case v1::AGAIN:
            return "Again";
        case v1::HARD:
            return "Hard";
        case v1::GOOD:
            return "Good";
        case v1::EASY:
            return "Easy";
        default:
            return "";
    }
}

// A horizontally centred column of at most kColumnWidth, so lines stay readable on wide windows.
QWidget* centred(QLayout* column) {
    auto* outer = new QWidget;
    auto* h = new QHBoxLayout(outer);
    h->setContentsMargins(24, 0, 24, 0);
    auto* inner = new QWidget;
    inner->setLayout(column);
    inner->setMaximumWidth(kColumnWidth);
    h->addStretch(1);
    h->addWidget(inner, 100);
    h->addStretch(1);
    return outer;
}

}  // namespace

ReviewView::ReviewView(DaemonSession* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_options(new OptionListModel(this)),
      m_counter(new QLabel),
      m_progress(new QProgressBar),
      m_topic(new QLabel),
      m_badges(new QLabel),
      m_undo(new QPushButton(QStringLiteral("Undo"))),
      m_end(new QPushButton(QStringLiteral("End session"))),
      m_status(new QLabel),
      m_errorBanner(new QFrame),
      m_error(theme::wrappedLabel()),
      m_leechBanner(new QFrame),
      m_leech(theme::wrappedLabel()),
      m_stack(new QFrame),
      m_loading(new QLabel),
      m_flashcard(new FlashcardPanel),
      m_question(new QuestionPanel(m_options)),
      m_scroll(new QScrollArea) {
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 16, 0, 0);
    layout->setSpacing(8);

    auto* header = new QVBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->setSpacing(8);
    auto* top = new QHBoxLayout;
    m_topic->setTextFormat(Qt::RichText);
    m_topic->setFont(theme::scaled(font(), 1.05));
    m_topic->setMinimumWidth(100);
    top->addWidget(m_topic, 1);
    theme::makeMuted(m_badges);
    top->addWidget(m_badges);
    for (QPushButton* b : {m_undo, m_end}) {
        b->setFocusPolicy(Qt::NoFocus);
        top->addWidget(b);
    }
    m_undo->setToolTip(QStringLiteral("Undo your last answer; its item comes back (Ctrl+Z)"));
    m_end->setToolTip(QStringLiteral("End the session now and see its summary (Esc)"));
    m_undo->setText(QStringLiteral("Undo  (Ctrl+Z)"));
    m_end->setText(QStringLiteral("End  (Esc)"));
    connect(m_undo, &QPushButton::clicked, this, &ReviewView::undo);
    connect(m_end, &QPushButton::clicked, this, &ReviewView::end);
    header->addLayout(top);
    auto* progressRow = new QHBoxLayout;
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(10);
    m_progress->setToolTip(QStringLiteral("Items done in this session"));
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_counter);
    header->addLayout(progressRow);
    theme::makeMuted(m_status);
    m_status->setWordWrap(true);
    header->addWidget(m_status);

    m_errorBanner->setObjectName(QStringLiteral("banner"));
    auto* errorLayout = new QHBoxLayout(m_errorBanner);
    auto* retryButton = new QPushButton(QStringLiteral("Retry  (Enter)"));
    retryButton->setFocusPolicy(Qt::NoFocus);
    connect(retryButton, &QPushButton::clicked, this, &ReviewView::retry);
    errorLayout->addWidget(m_error, 1);
    errorLayout->addWidget(retryButton);
    header->addWidget(m_errorBanner);
    m_errorBanner->hide();

    m_leechBanner->setObjectName(QStringLiteral("banner"));
    auto* leechLayout = new QHBoxLayout(m_leechBanner);
    leechLayout->addWidget(m_leech, 1);
    header->addWidget(m_leechBanner);
    m_leechBanner->hide();
    layout->addWidget(centred(header));

    auto* stackLayout = new QVBoxLayout(m_stack);
    stackLayout->setContentsMargins(0, 8, 0, 24);
    m_loading->setAlignment(Qt::AlignCenter);
    theme::makeMuted(m_loading);
    stackLayout->addWidget(m_loading);
    stackLayout->addWidget(m_flashcard);
    stackLayout->addWidget(m_question);
    auto* content = new QVBoxLayout;
    content->setContentsMargins(0, 0, 0, 0);
    content->addWidget(m_stack);
    content->addStretch(1);
    m_scroll->setWidget(centred(content));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(m_scroll, 1);

    connect(m_flashcard, &FlashcardPanel::revealClicked, this, &ReviewView::reveal);
    connect(m_flashcard, &FlashcardPanel::gradeClicked, this, &ReviewView::grade);
    connect(m_question, &QuestionPanel::submitClicked, this, &ReviewView::submit);
    connect(m_question, &QuestionPanel::continueClicked, this, &ReviewView::next);

    connect(m_session, &DaemonSession::sessionStarted, this, &ReviewView::onSessionStarted);
    connect(m_session, &DaemonSession::nextItemReady, this, &ReviewView::onNextItem);
    connect(m_session, &DaemonSession::itemReady, this, &ReviewView::onItem);
    connect(m_session, &DaemonSession::answered, this, &ReviewView::onAnswered);
    connect(m_session, &DaemonSession::undone, this, &ReviewView::onUndone);
    connect(m_session, &DaemonSession::sessionEnded, this, &ReviewView::onEnded);
    showLoading(QString());
}

void ReviewView::setState(State state) {
    m_state = state;
    if ((state == State::Back || state == State::Feedback) && m_item.is_leech() &&
        !m_item.leech_explanation().empty())
        m_leech->setText(QStringLiteral("<b>You keep missing this one.</b> ") +
                         safeTextToHtml(m_item.leech_explanation()));
    const bool inSession = state != State::Idle && state != State::Finished && state != State::Preview;
    m_undo->setEnabled(m_answered > 0 && (state == State::Front || state == State::Back ||
                                          state == State::Choosing || state == State::Feedback));
    m_end->setEnabled(inSession && state != State::Ending && state != State::Starting);
    m_flashcard->setGradingEnabled(state == State::Back);
    m_question->setSubmitting(state == State::Submitting);
    Q_EMIT stateChanged(state);
}

void ReviewView::showLoading(const QString& text) {
    m_loading->setText(text);
    m_loading->setVisible(!text.isEmpty());
    m_flashcard->hide();
    m_question->hide();
}

void ReviewView::setStatus(const QString& text) {
    m_status->setText(text);
}

QString ReviewView::statusText() const {
    return m_status->text();
}

QString ReviewView::errorText() const {
    return m_errorBanner->isHidden() ? QString() : m_error->text();
}

QString ReviewView::leechText() const {
    return m_leechBanner->isHidden() ? QString() : m_leech->text();
}

QString ReviewView::progressText() const {
    return m_counter->text();
}

uint32_t ReviewView::responseMs() const {
    return static_cast<uint32_t>(std::clamp<qint64>(m_shown.elapsed(), 1, 3'600'000));
}

void ReviewView::begin(v1::StudyMode mode, const QString& scope) {
    m_answered = 0;
    m_finishReason.clear();
    m_item.Clear();
    m_errorBanner->hide();
    m_leechBanner->hide();
    m_topic->setText(mode == v1::DRILL ? QStringLiteral("<b>Focus: %1</b>").arg(scope.toHtmlEscaped())
                     : mode == v1::REVIEW_MISTAKES ? QStringLiteral("<b>Your recent mistakes</b>")
                                                   : QStringLiteral("<b>Study session</b>"));
    m_badges->clear();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->show();
    m_counter->clear();
    setStatus(QString());
    showLoading(QStringLiteral("Planning your session…"));
    setState(State::Starting);
    const std::string s = scope.toStdString();
    m_retry = [this, mode, s] {
        setState(State::Starting);
        m_session->startSession(mode, 0, s);
    };
    m_session->startSession(mode, 0, s);
}

void ReviewView::onSessionStarted(const v1::Session& session) {
    if (m_state != State::Starting)
        return;
    const uint32_t planned = session.planned_reviews() + session.planned_new();
    m_progress->setRange(0, static_cast<int>(std::max<uint32_t>(1, planned)));
    setStatus(QStringLiteral("%1 reviews and %2 new items planned, %3.")
                  .arg(session.planned_reviews())
                  .arg(session.planned_new())
                  .arg(minutesText(session.estimated_minutes())));
    next();
}

void ReviewView::next() {
    if (m_state == State::Preview || m_state == State::Finished || m_state == State::Idle)
        return;
    setState(State::Loading);
    m_session->fetchNextItem();
}

void ReviewView::onNextItem(const v1::NextItemResponse& n) {
    if (m_state != State::Loading)
        return;
    const uint32_t total = n.done() + n.remaining();
    m_progress->setRange(0, static_cast<int>(std::max<uint32_t>(1, total)));
    m_progress->setValue(static_cast<int>(n.done()));
    if (n.finished()) {
        m_progress->setValue(m_progress->maximum());
        m_counter->setText(QStringLiteral("%1 of %1").arg(n.done()));
        m_finishReason = QString::fromStdString(n.finished_reason());
        end();
        return;
    }
    m_counter->setText(QStringLiteral("%1 of %2").arg(n.done() + 1).arg(total));
    m_topic->setToolTip(
        n.reason().empty() ? QString() : QStringLiteral("Why now: ") + QString::fromStdString(n.reason()));
    present(n.item(), std::vector<uint32_t>(n.interval_days().begin(), n.interval_days().end()));
}

void ReviewView::present(const v1::PresentedItem& item, const std::vector<uint32_t>& intervals) {
    m_item = item;
    m_revealPending = false;
    m_errorBanner->hide();
    const QString title = m_session->taskStatementTitle(item.task_statement());
    m_topic->setText(
        QStringLiteral("<b>%1</b>&nbsp;&nbsp;%2")
            .arg(QString::fromStdString(item.task_statement()).toHtmlEscaped(), title.toHtmlEscaped()));
    QStringList badges{QString::fromLatin1(kindName(item.kind()))};
    if (item.is_new())
        badges << QStringLiteral("new");
    if (item.is_leech())
        badges << QStringLiteral("leech");
    m_badges->setText(badges.join(QStringLiteral(" · ")));
    // A leech's explanation follows the answer, never precedes it: for some cards it is the answer.
    if (item.is_leech()) {
        m_leech->setText(
            QStringLiteral("<b>You keep missing this one.</b> Its explanation follows your answer."));
        m_leechBanner->show();
    } else {
        m_leechBanner->hide();
    }
    m_loading->hide();
    if (item.kind() == v1::FLASHCARD) {
        m_question->hide();
        m_flashcard->showCard(item, intervals);
        m_flashcard->show();
        setState(m_state == State::Preview ? State::Preview : State::Front);
        if (m_state == State::Front)
            m_session->fetchItem(item.id());
    } else {
        m_flashcard->hide();
        m_question->showQuestion(item);
        m_question->show();
        setState(m_state == State::Preview ? State::Preview : State::Choosing);
    }
    m_scroll->ensureVisible(0, 0);
    m_shown.start();
}

void ReviewView::onItem(const v1::ItemDetail& detail) {
    if (detail.item().id() != m_item.id())
        return;
    m_flashcard->setBack(detail);
    if (m_revealPending && m_state == State::Front)
        reveal();
}

void ReviewView::reveal() {
    if (m_state != State::Front && m_state != State::Preview)
        return;
    if (!m_flashcard->hasBack()) {
        m_revealPending = true;
        return;
    }
    m_revealPending = false;
    m_flashcard->reveal();
    if (m_state == State::Front)
        setState(State::Back);
}

void ReviewView::grade(int rating) {
    if (m_state != State::Back || rating < 1 || rating > 4)
        return;
    v1::AnswerRequest r;
    r.set_item_id(m_item.id());
    r.set_rating(static_cast<v1::Rating>(rating));
    r.set_response_ms(responseMs());
    setState(State::Submitting);
    m_retry = [this, r] {
        setState(State::Submitting);
        m_session->answer(r);
    };
    m_session->answer(r);
}

void ReviewView::submit() {
    if (m_state != State::Choosing || !m_options->canSubmit())
        return;
    v1::AnswerRequest r;
    r.set_item_id(m_item.id());
    for (uint32_t i : m_options->chosenContentIndexes())
        r.add_chosen_options(i);
    r.set_response_ms(responseMs());
    setState(State::Submitting);
    m_retry = [this, r] {
        setState(State::Submitting);
        m_session->answer(r);
    };
    m_session->answer(r);
}

void ReviewView::onAnswered(const v1::AnswerResponse& a) {
    if (m_state != State::Submitting)
        return;
    ++m_answered;
    const QString when =
        a.interval_days() == 0
            ? QStringLiteral("again later today")
            : QStringLiteral("in %1 (%2)").arg(intervalText(a.interval_days()), longDateText(a.due_date()));
    if (m_item.kind() == v1::FLASHCARD) {
        setStatus(
            QStringLiteral("%1 — next review %2.").arg(QString::fromLatin1(ratingName(a.rating())), when));
        next();
        return;
    }
    setStatus(QStringLiteral("%1 — next review %2.")
                  .arg(a.correct() ? QStringLiteral("Correct") : QStringLiteral("Wrong"), when));
    m_question->showFeedback(a);
    setState(State::Feedback);
}

void ReviewView::undo() {
    if (m_answered == 0 || (m_state != State::Front && m_state != State::Back && m_state != State::Choosing &&
                            m_state != State::Feedback))
        return;
    setState(State::Undoing);
    m_retry = [this] {
        setState(State::Undoing);
        m_session->undo();
    };
    m_session->undo();
}

void ReviewView::onUndone(const v1::UndoResponse&) {
    if (m_state != State::Undoing)
        return;
    --m_answered;
    setStatus(QStringLiteral("Answer undone: that item comes back now."));
    next();
}

void ReviewView::end() {
    if (m_state == State::Idle || m_state == State::Starting || m_state == State::Ending ||
        m_state == State::Finished || m_state == State::Preview)
        return;
    showLoading(QStringLiteral("Summing up…"));
    setState(State::Ending);
    m_retry = [this] {
        setState(State::Ending);
        m_session->endSession();
    };
    m_session->endSession();
}

void ReviewView::onEnded(const v1::SessionSummary& summary) {
    if (m_state != State::Ending)
        return;
    setState(State::Finished);
    const QString reason =
        m_finishReason.isEmpty() ? QStringLiteral("You ended the session.") : m_finishReason;
    Q_EMIT finished(summary, reason);
}

void ReviewView::showPreview(const v1::ItemDetail& detail) {
    m_errorBanner->hide();
    m_progress->hide();
    m_counter->setText(QStringLiteral("Preview: not part of a session"));
    setStatus(QString());
    m_state = State::Preview;
    present(presentedFromContent(detail), {});
    if (detail.item().kind() == v1::FLASHCARD) {
        m_flashcard->setBack(detail);
        reveal();
        return;
    }
    // A question shows what its feedback looks like, from the content alone: nothing is recorded.
    for (int i = 0; i < m_options->choose(); ++i)
        m_options->toggle(i);
    m_question->showFeedback(feedbackFromContent(detail.item(), m_options->chosenContentIndexes()), true);
}

}  // namespace retain::desktop
