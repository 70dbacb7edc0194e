#include "desktop/views/mock_exam_view.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QVBoxLayout>
#include <algorithm>

#include "desktop/app/text_format.h"
#include "desktop/models/mock_navigator_model.h"
#include "desktop/views/banner.h"
#include "desktop/views/keys.h"
#include "desktop/views/mock_report_view.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {

// Options are shown shuffled: the content-order index of the option shown at `shown`.
uint32_t contentIndex(const v1::MockQuestion& q, int shown) {
    return shown < q.option_index_size() ? q.option_index(shown) : static_cast<uint32_t>(shown);
}

constexpr uint32_t kPracticeQuestions = 10;
constexpr uint32_t kPracticeMinutes = 15;

// A numbered square: filled when answered, outlined when current, a corner mark when flagged.
class NavigatorDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override {
        const int h = option.fontMetrics.height() * 2;
        return {h + 6, h};
    }
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        const QPalette& pal = option.palette;
        const bool answered = index.data(MockNavigatorModel::AnsweredRole).toBool();
        const bool flagged = index.data(MockNavigatorModel::FlaggedRole).toBool();
        const bool current = index.data(MockNavigatorModel::CurrentRole).toBool();
        const QRectF r = QRectF(option.rect).adjusted(3, 3, -3, -3);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const QColor accent = pal.color(QPalette::Highlight);
        p->setPen(QPen(current ? pal.color(QPalette::Text) : pal.color(QPalette::Mid), current ? 2.0 : 1.0));
        p->setBrush(answered ? theme::tint(pal, accent, 0.55) : pal.color(QPalette::Base));
        p->drawRoundedRect(r, 5, 5);
        if (flagged) {
            QPolygonF corner;
            corner << QPointF(r.right() - 11, r.top()) << r.topRight() << QPointF(r.right(), r.top() + 11);
            p->setPen(Qt::NoPen);
            p->setBrush(theme::warningColor(pal));
            p->drawPolygon(corner);
        }
        QFont f = option.font;
        f.setBold(current);
        p->setFont(f);
        p->setPen(pal.color(QPalette::Text));
        p->drawText(r, Qt::AlignCenter, index.data().toString());
        p->restore();
    }
};

// An option's text: a click chooses the option, as on its button.
class ClickLabel : public QLabel {
public:
    explicit ClickLabel(std::function<void()> onClick) : m_onClick(std::move(onClick)) {}

protected:
    void mouseReleaseEvent(QMouseEvent* event) override {
        if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
            m_onClick();
        QLabel::mouseReleaseEvent(event);
    }

private:
    std::function<void()> m_onClick;
};

QString clockText(int seconds) {
    seconds = std::max(0, seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString numbersText(const QList<int>& numbers) {
    QStringList parts;
    for (int n : numbers)
        parts << QString::number(n);
    return parts.join(QStringLiteral(", "));
}

}  // namespace

MockExamView::MockExamView(DaemonSession* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_pages(new QStackedWidget),
      m_error(new Banner(QStringLiteral("Retry"))),
      m_navModel(new MockNavigatorModel(this)),
      m_report(new MockReportView) {
    setFocusPolicy(Qt::StrongFocus);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(24, 18, 24, 14);
    column->addWidget(m_error);
    column->addWidget(m_pages, 1);
    m_pages->addWidget(buildStartPage());
    m_pages->addWidget(buildExamPage());
    m_pages->addWidget(m_report);
    connect(m_error, &Banner::actionClicked, this, &MockExamView::refresh);
    connect(m_report, &MockReportView::doneClicked, this, &MockExamView::showStart);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &MockExamView::tick);
}

QWidget* MockExamView::buildStartPage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(12);
    auto* title = new QLabel(QStringLiteral("Mock exam"));
    title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(title);
    m_formText = theme::wrappedLabel();
    theme::makeMuted(m_formText);
    column->addWidget(m_formText);
    auto* buttons = new QHBoxLayout;
    m_startFull = new QPushButton(QStringLiteral("Start the full mock exam"));
    m_startFull->setObjectName(QStringLiteral("primary"));
    m_startFull->setFont(theme::scaled(font(), 1.2, true));
    m_startFull->setFocusPolicy(Qt::NoFocus);
    m_startFull->setToolTip(QStringLiteral("The real exam's length and time, under exam conditions (Enter)"));
    m_startShort = new QPushButton(
        QStringLiteral("Practice: %1 questions, %2 minutes").arg(kPracticeQuestions).arg(kPracticeMinutes));
    m_startShort->setFocusPolicy(Qt::NoFocus);
    m_startShort->setToolTip(QStringLiteral("A short form in blueprint proportions; not exam conditions"));
    m_startShort->setMinimumHeight(m_startFull->sizeHint().height());
    buttons->addWidget(m_startFull);
    buttons->addWidget(m_startShort);
    buttons->addStretch(1);
    column->addLayout(buttons);
    connect(m_startFull, &QPushButton::clicked, this, [this] { startMock(); });
    connect(m_startShort, &QPushButton::clicked, this,
            [this] { startMock(kPracticeQuestions, kPracticeMinutes); });
    column->addSpacing(8);
    auto* pastTitle = new QLabel(QStringLiteral("Your mock exams"));
    pastTitle->setFont(theme::scaled(font(), 1.2, true));
    column->addWidget(pastTitle);
    m_pastEmpty = theme::wrappedLabel(
        QStringLiteral("None yet. A mock exam is the best evidence of readiness: take one when you have "
                       "studied every domain at least once, and another a week before the exam."));
    theme::makeMuted(m_pastEmpty);
    column->addWidget(m_pastEmpty);
    m_past = new QListWidget;
    m_past->setToolTip(QStringLiteral("Double-click (or Enter) to open a report or resume an exam"));
    m_past->setAlternatingRowColors(true);
    column->addWidget(m_past, 1);
    connect(m_past, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openMock(item->data(Qt::UserRole).toString().toStdString()); });
    return page;
}

QWidget* MockExamView::buildExamPage() {
    auto* page = new QWidget;
    auto* column = new QVBoxLayout(page);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(10);

    auto* top = new QHBoxLayout;
    m_position = new QLabel;
    m_position->setFont(theme::scaled(font(), 1.3, true));
    m_timer = new QLabel;
    m_timer->setFont(theme::scaled(font(), 1.5, true));
    m_timer->setToolTip(QStringLiteral("Time left. The exam is submitted automatically when it runs out."));
    m_counts = new QLabel;
    theme::makeMuted(m_counts);
    m_pause = new QPushButton(QStringLiteral("Pause"));
    m_pause->setToolTip(
        QStringLiteral("Pause the clock (Ctrl+P). A paused mock no longer counts as taken "
                       "under exam conditions."));
    m_submit = new QPushButton(QStringLiteral("Submit…"));
    m_submit->setObjectName(QStringLiteral("primary"));
    m_submit->setToolTip(QStringLiteral("Finish and score the exam (Ctrl+Enter)"));
    for (QPushButton* b : {m_pause, m_submit})
        b->setFocusPolicy(Qt::NoFocus);
    top->addWidget(m_position);
    top->addSpacing(18);
    top->addWidget(m_counts);
    top->addStretch(1);
    top->addWidget(m_timer);
    top->addSpacing(18);
    top->addWidget(m_pause);
    top->addWidget(m_submit);
    column->addLayout(top);
    connect(m_pause, &QPushButton::clicked, this, &MockExamView::togglePause);
    connect(m_submit, &QPushButton::clicked, this, &MockExamView::requestSubmit);

    auto* body = new QHBoxLayout;
    body->setSpacing(16);
    m_navigator = new QListView;
    m_navigator->setModel(m_navModel);
    m_navigator->setItemDelegate(new NavigatorDelegate(m_navigator));
    m_navigator->setViewMode(QListView::IconMode);
    m_navigator->setFlow(QListView::LeftToRight);
    m_navigator->setWrapping(true);
    m_navigator->setResizeMode(QListView::Adjust);
    m_navigator->setMovement(QListView::Static);
    m_navigator->setUniformItemSizes(true);
    m_navigator->setSpacing(0);
    m_navigator->setFocusPolicy(Qt::NoFocus);
    m_navigator->setSelectionMode(QAbstractItemView::NoSelection);
    m_navigator->setToolTip(QStringLiteral("Filled: answered · corner mark: flagged for review"));
    const int cell = fontMetrics().height() * 2 + 6;
    m_navigator->setFixedWidth(cell * 5 + 24);
    connect(m_navigator, &QListView::clicked, this, [this](const QModelIndex& i) { goTo(i.row()); });
    auto* navColumn = new QVBoxLayout;
    navColumn->addWidget(m_navigator, 1);
    auto* legend = new QLabel(QStringLiteral("Filled: answered\nCorner mark: flagged"));
    theme::makeMuted(legend);
    navColumn->addWidget(legend);
    body->addLayout(navColumn);

    auto* card = new QFrame;
    card->setObjectName(QStringLiteral("card"));
    auto* cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(24, 20, 24, 16);
    m_pausedNote = theme::wrappedLabel(
        QStringLiteral("<b>Paused.</b> The clock is stopped; resume with Ctrl+P or the Resume button."));
    m_pausedNote->hide();
    cardLayout->addWidget(m_pausedNote);
    m_stem = theme::wrappedLabel();
    m_stem->setFont(theme::scaled(font(), 1.15));
    m_stem->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    cardLayout->addWidget(m_stem);
    m_hint = new QLabel;
    theme::makeMuted(m_hint);
    cardLayout->addWidget(m_hint);
    m_optionsLayout = new QVBoxLayout;
    m_optionsLayout->setSpacing(8);
    cardLayout->addLayout(m_optionsLayout);
    cardLayout->addStretch(1);
    m_optionGroup = new QButtonGroup(this);
    m_optionGroup->setExclusive(false);
    connect(m_optionGroup, &QButtonGroup::idClicked, this, [this](int id) {
        // The button already flipped itself; choose() sets every button from the answer again.
        choose(id);
    });
    auto* scroll = new QScrollArea;
    scroll->setWidget(card);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* center = new QVBoxLayout;
    center->addWidget(scroll, 1);
    auto* moves = new QHBoxLayout;
    m_prev = new QPushButton(QStringLiteral("← Previous"));
    m_prev->setToolTip(QStringLiteral("Previous question (Left or P)"));
    m_flag = new QPushButton(QStringLiteral("Flag for review"));
    m_flag->setToolTip(QStringLiteral("Mark this question to come back to (M)"));
    m_flag->setCheckable(true);
    m_next = new QPushButton(QStringLiteral("Next →"));
    m_next->setToolTip(QStringLiteral("Next question (Right or N)"));
    for (QPushButton* b : {m_prev, m_flag, m_next})
        b->setFocusPolicy(Qt::NoFocus);
    moves->addWidget(m_prev);
    moves->addStretch(1);
    moves->addWidget(m_flag);
    moves->addStretch(1);
    moves->addWidget(m_next);
    center->addLayout(moves);
    body->addLayout(center, 1);
    column->addLayout(body, 1);
    connect(m_prev, &QPushButton::clicked, this, [this] { goTo(m_row - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { goTo(m_row + 1); });
    connect(m_flag, &QPushButton::clicked, this, &MockExamView::toggleFlag);
    return page;
}

void MockExamView::setState(State state) {
    if (state == m_state)
        return;
    m_state = state;
    m_pages->setCurrentIndex(state == State::Report                                  ? 2
                             : state == State::Running || state == State::Submitting ? 1
                                                                                     : 0);
    if (state != State::Running)
        m_clock.stop();
    Q_EMIT stateChanged(state);
}

void MockExamView::fail(const rpc::RpcError& error, const QString& what) {
    m_error->showMessage(
        QStringLiteral("<b>%1</b> %2").arg(what.toHtmlEscaped(), describeError(error).toHtmlEscaped()));
    if (m_state == State::Starting)
        setState(State::Start);
    if (m_state == State::Submitting)
        setState(State::Running);
}

void MockExamView::refresh() {
    const v1::Blueprint& bp = m_session->blueprint();
    const auto& form = bp.form();
    m_formText->setText(
        form.total_questions() == 0
            ? QStringLiteral("A timed exam in the real format.")
            : QStringLiteral(
                  "%1 questions in %2 minutes, in the proportions of the %3 exam guide; %4 of them "
                  "scored, the rest unscored as on the real exam. Answers are saved as you go, "
                  "you can flag questions and come back, and the report scores you on the "
                  "%5–%6 scale (pass %7) with a review of every answer.")
                  .arg(form.total_questions())
                  .arg(form.duration_minutes())
                  .arg(QString::fromStdString(bp.code()))
                  .arg(form.scored_questions())
                  .arg(form.scaled_score_min())
                  .arg(form.scaled_score_max())
                  .arg(form.passing_scaled_score()));
    if (m_state == State::Running) {
        v1::GetMockRequest r;
        r.set_learner_id(m_session->learner().id());
        r.set_mock_id(m_mock.id());
        m_session->call<v1::MockExam>(
            DaemonSession::Operation::Mock, this, [r](rpc::Client& c) { return c.getMock(r); },
            [this](const v1::MockExam& m) { applyServerMock(m); },
            [this](const rpc::RpcError& e) { fail(e, QStringLiteral("Could not read the mock exam.")); });
        return;
    }
    if (m_state != State::Start)
        return;
    v1::ListMocksRequest r;
    r.set_learner_id(m_session->learner().id());
    m_listed = false;
    m_session->call<v1::ListMocksResponse>(
        DaemonSession::Operation::Mock, this, [r](rpc::Client& c) { return c.listMocks(r); },
        [this](const v1::ListMocksResponse& list) {
            m_error->clear();
            m_mocks = list;
            m_listed = true;
            m_past->clear();
            for (const auto& m : list.mocks()) {
                const QString when = QDateTime::fromMSecsSinceEpoch(m.started_ms())
                                         .toString(QStringLiteral("ddd d MMM yyyy, HH:mm"));
                QString text;
                if (!m.submitted())
                    text = QStringLiteral("%1 — in progress: resume").arg(when);
                else if (!m.full_form())
                    text = QStringLiteral("%1 — practice form: %2 of %3 right")
                               .arg(when)
                               .arg(m.scored_correct())
                               .arg(m.scored_total());
                else
                    text = QStringLiteral("%1 — %2 (%3)%4")
                               .arg(when)
                               .arg(m.scaled_score())
                               .arg(m.passed() ? QStringLiteral("pass") : QStringLiteral("fail"))
                               .arg(m.exam_conditions() ? QString()
                                                        : QStringLiteral(" · not under exam conditions"));
                auto* item = new QListWidgetItem(text, m_past);
                item->setData(Qt::UserRole, QString::fromStdString(m.mock_id()));
                if (m.submitted() && m.full_form())
                    item->setForeground(m.passed() ? theme::rightColor(palette())
                                                   : theme::wrongColor(palette()));
            }
            m_pastEmpty->setVisible(list.mocks().empty());
            m_past->setVisible(!list.mocks().empty());
            if (m_past->count() > 0)
                m_past->setCurrentRow(0);
        },
        [this](const rpc::RpcError& e) { fail(e, QStringLiteral("Could not list your mock exams.")); });
}

void MockExamView::showStart() {
    setState(State::Start);
    refresh();
}

void MockExamView::startMock(uint32_t questions, uint32_t minutes) {
    if (m_state == State::Starting)
        return;
    setState(State::Starting);
    v1::StartMockRequest r;
    r.set_learner_id(m_session->learner().id());
    r.set_questions(questions);
    r.set_minutes(minutes);
    m_session->call<v1::MockExam>(
        DaemonSession::Operation::Mock, this, [r](rpc::Client& c) { return c.startMock(r); },
        [this](const v1::MockExam& m) {
            m_row = 0;
            showMock(m);
        },
        [this](const rpc::RpcError& e) { fail(e, QStringLiteral("Could not start a mock exam.")); });
}

void MockExamView::openMock(const std::string& mockId) {
    const std::string learner = m_session->learner().id();
    m_session->call<v1::MockReport>(
        DaemonSession::Operation::Mock, this,
        [learner, mockId](rpc::Client& c) -> rpc::Reply<v1::MockReport> {
            // A submitted mock has a report; one in progress answers GetMock. The report comes back
            // with an empty id for the latter, and the view then resumes it.
            v1::GetMockRequest g;
            g.set_learner_id(learner);
            g.set_mock_id(mockId);
            auto mock = c.getMock(g);
            if (mock && !mock->submitted())
                return v1::MockReport();
            v1::GetMockReportRequest r;
            r.set_learner_id(learner);
            r.set_mock_id(mockId);
            return c.mockReport(r);
        },
        [this, mockId](const v1::MockReport& report) {
            if (!report.mock_id().empty()) {
                showReport(report);
                return;
            }
            v1::GetMockRequest g;
            g.set_learner_id(m_session->learner().id());
            g.set_mock_id(mockId);
            m_session->call<v1::MockExam>(
                DaemonSession::Operation::Mock, this, [g](rpc::Client& c) { return c.getMock(g); },
                [this](const v1::MockExam& m) {
                    m_row = 0;
                    showMock(m);
                },
                [this](const rpc::RpcError& e) { fail(e, QStringLiteral("Could not open the mock exam.")); });
        },
        [this](const rpc::RpcError& e) { fail(e, QStringLiteral("Could not open the mock exam.")); });
}

void MockExamView::showMock(const v1::MockExam& mock) {
    m_error->clear();
    m_mock = mock;
    m_navModel->setMock(mock);
    m_serverSecondsLeft = static_cast<int>(mock.seconds_left());
    m_sinceServer.start();
    setState(State::Running);
    if (!mock.paused())
        m_clock.start();
    goTo(std::clamp(m_row, 0, std::max(0, mock.questions_size() - 1)));
    updateCounts();
    setFocus(Qt::OtherFocusReason);
}

void MockExamView::applyServerMock(const v1::MockExam& mock) {
    if (mock.id() != m_mock.id())
        return;
    if (mock.submitted()) {
        // Time ran out on the daemon's clock: the report is ready.
        submit();
        return;
    }
    m_serverSecondsLeft = static_cast<int>(mock.seconds_left());
    m_sinceServer.start();
    // Answers given since this reply was made are newer than it: keep the local ones until all are saved.
    if (m_writes > 0)
        return;
    const bool pausedChanged = mock.paused() != m_mock.paused();
    m_mock = mock;
    m_navModel->setMock(mock);
    if (pausedChanged) {
        if (mock.paused())
            m_clock.stop();
        else
            m_clock.start();
        showQuestion();
    }
    updateCounts();
}

void MockExamView::goTo(int row) {
    if (m_mock.questions().empty())
        return;
    m_row = std::clamp(row, 0, m_mock.questions_size() - 1);
    m_navModel->setCurrent(m_row);
    m_navigator->scrollTo(m_navModel->index(m_row));
    showQuestion();
}

void MockExamView::showQuestion() {
    const v1::MockQuestion& q = m_mock.questions(m_row);
    const int n = m_mock.questions_size();
    m_position->setText(QStringLiteral("Question %1 of %2").arg(m_row + 1).arg(n));
    m_stem->setText(safeTextToHtml(q.prompt()));
    const bool multiple = q.kind() == v1::MULTIPLE_RESPONSE;
    m_hint->setText(
        multiple
            ? QStringLiteral("Choose %1. Press the letters to choose; answers save at once.").arg(q.choose())
            : QStringLiteral("Choose one. Press its letter; the answer saves at once."));
    for (QAbstractButton* b : m_optionButtons)
        m_optionGroup->removeButton(b);
    for (QWidget* row : m_optionRows)
        delete row;
    m_optionButtons.clear();
    m_optionRows.clear();
    for (int i = 0; i < q.options_size(); ++i) {
        // The button and a wrapping label beside it: long options must not widen the page.
        auto* row = new QFrame;
        row->setObjectName(QStringLiteral("option"));
        auto* layout = new QHBoxLayout(row);
        layout->setContentsMargins(10, 6, 10, 6);
        QAbstractButton* b = multiple ? static_cast<QAbstractButton*>(new QCheckBox)
                                      : static_cast<QAbstractButton*>(new QRadioButton);
        b->setFocusPolicy(Qt::NoFocus);
        b->setAutoExclusive(false);
        b->setEnabled(!m_mock.paused());
        b->setChecked(std::find(q.chosen_options().begin(), q.chosen_options().end(), contentIndex(q, i)) !=
                      q.chosen_options().end());
        b->setAccessibleName(QStringLiteral("Option %1").arg(optionLetter(i)));
        auto* text = new ClickLabel([this, i] { choose(i); });
        text->setText(
            QStringLiteral("<b>%1.</b>&nbsp; %2").arg(optionLetter(i), safeTextToHtml(q.options(i))));
        text->setWordWrap(true);
        text->setTextFormat(Qt::RichText);
        text->setFocusPolicy(Qt::NoFocus);
        text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        text->setVisible(!m_mock.paused());
        layout->addWidget(b, 0, Qt::AlignTop);
        layout->addWidget(text, 1);
        m_optionGroup->addButton(b, i);
        m_optionsLayout->addWidget(row);
        m_optionButtons.push_back(b);
        m_optionRows.push_back(row);
    }
    m_flag->setChecked(q.flagged());
    m_flag->setText(q.flagged() ? QStringLiteral("Flagged ⚑") : QStringLiteral("Flag for review"));
    m_prev->setEnabled(m_row > 0);
    m_next->setEnabled(m_row + 1 < n);
    m_pausedNote->setVisible(m_mock.paused());
    m_stem->setVisible(!m_mock.paused());
    m_pause->setText(m_mock.paused() ? QStringLiteral("Resume") : QStringLiteral("Pause"));
}

void MockExamView::choose(int option) {
    if (m_state != State::Running || m_mock.paused() || m_mock.questions().empty())
        return;
    v1::MockQuestion* q = m_mock.mutable_questions(m_row);
    if (option < 0 || option >= q->options_size()) {
        showQuestion();
        return;
    }
    // `option` is the position shown; the daemon keeps content-order indexes.
    std::vector<uint32_t> chosen(q->chosen_options().begin(), q->chosen_options().end());
    const auto o = contentIndex(*q, option);
    const auto it = std::find(chosen.begin(), chosen.end(), o);
    if (q->kind() == v1::MULTIPLE_RESPONSE) {
        if (it != chosen.end())
            chosen.erase(it);
        else
            chosen.push_back(o);
        std::sort(chosen.begin(), chosen.end());
    } else {
        chosen = {o};
    }
    q->clear_chosen_options();
    for (uint32_t c : chosen)
        q->add_chosen_options(c);
    for (size_t i = 0; i < m_optionButtons.size(); ++i)
        m_optionButtons[i]->setChecked(
            std::find(chosen.begin(), chosen.end(), contentIndex(*q, static_cast<int>(i))) != chosen.end());
    m_navModel->setAnswered(m_row, !chosen.empty());
    saveAnswer(m_row);
    updateCounts();
}

void MockExamView::saveAnswer(int row) {
    const v1::MockQuestion& q = m_mock.questions(row);
    v1::AnswerMockRequest r;
    r.set_learner_id(m_session->learner().id());
    r.set_mock_id(m_mock.id());
    r.set_number(q.number());
    *r.mutable_chosen_options() = q.chosen_options();
    ++m_writes;
    m_session->call<v1::MockExam>(
        DaemonSession::Operation::Mock, this, [r](rpc::Client& c) { return c.answerMock(r); },
        [this](const v1::MockExam& m) {
            --m_writes;
            applyServerMock(m);
        },
        [this](const rpc::RpcError& e) {
            --m_writes;
            fail(e, QStringLiteral("Your last answer was not saved."));
        });
}

void MockExamView::toggleFlag() {
    if (m_state != State::Running || m_mock.questions().empty())
        return;
    v1::MockQuestion* q = m_mock.mutable_questions(m_row);
    q->set_flagged(!q->flagged());
    m_navModel->setFlagged(m_row, q->flagged());
    m_flag->setChecked(q->flagged());
    m_flag->setText(q->flagged() ? QStringLiteral("Flagged ⚑") : QStringLiteral("Flag for review"));
    v1::FlagQuestionRequest r;
    r.set_learner_id(m_session->learner().id());
    r.set_mock_id(m_mock.id());
    r.set_number(q->number());
    r.set_flagged(q->flagged());
    ++m_writes;
    m_session->call<v1::MockExam>(
        DaemonSession::Operation::Mock, this, [r](rpc::Client& c) { return c.flagQuestion(r); },
        [this](const v1::MockExam& m) {
            --m_writes;
            applyServerMock(m);
        },
        [this](const rpc::RpcError& e) {
            --m_writes;
            fail(e, QStringLiteral("The flag was not saved."));
        });
    updateCounts();
}

void MockExamView::togglePause() {
    if (m_state != State::Running)
        return;
    v1::PauseMockRequest r;
    r.set_learner_id(m_session->learner().id());
    r.set_mock_id(m_mock.id());
    r.set_paused(!m_mock.paused());
    m_session->call<v1::MockExam>(
        DaemonSession::Operation::Mock, this, [r](rpc::Client& c) { return c.pauseMock(r); },
        [this](const v1::MockExam& m) { applyServerMock(m); },
        [this](const rpc::RpcError& e) { fail(e, QStringLiteral("Could not pause the clock.")); });
}

void MockExamView::updateCounts() {
    int answered = 0, flagged = 0;
    for (const auto& q : m_mock.questions()) {
        answered += q.chosen_options().empty() ? 0 : 1;
        flagged += q.flagged() ? 1 : 0;
    }
    m_counts->setText(QStringLiteral("%1 of %2 answered · %3 flagged%4")
                          .arg(answered)
                          .arg(m_mock.questions_size())
                          .arg(flagged)
                          .arg(m_mock.exam_conditions() ? QString() : QStringLiteral(" · practice")));
    m_timer->setText(timerText());
}

int MockExamView::secondsLeft() const {
    if (m_mock.paused() || !m_sinceServer.isValid())
        return m_serverSecondsLeft;
    return std::max(0, m_serverSecondsLeft - static_cast<int>(m_sinceServer.elapsed() / 1000));
}

QString MockExamView::timerText() const {
    return m_mock.paused() ? QStringLiteral("Paused · %1 left").arg(clockText(secondsLeft()))
                           : QStringLiteral("%1 left").arg(clockText(secondsLeft()));
}

void MockExamView::tick() {
    const int left = secondsLeft();
    m_timer->setText(timerText());
    QPalette p = m_timer->palette();
    p.setColor(QPalette::WindowText,
               left < 300 ? theme::wrongColor(palette()) : palette().color(QPalette::WindowText));
    m_timer->setPalette(p);
    if (left == 0 && m_state == State::Running)
        submit();
}

void MockExamView::requestSubmit() {
    if (m_state != State::Running)
        return;
    QList<int> unanswered, flagged;
    for (const auto& q : m_mock.questions()) {
        if (q.chosen_options().empty())
            unanswered << static_cast<int>(q.number());
        if (q.flagged())
            flagged << static_cast<int>(q.number());
    }
    QString text = QStringLiteral("Submit the exam for scoring? You cannot change answers afterwards.");
    QString details;
    if (!unanswered.isEmpty())
        details += QStringLiteral("<p><b>%1 unanswered</b> (scored as wrong): %2</p>")
                       .arg(unanswered.size())
                       .arg(numbersText(unanswered));
    if (!flagged.isEmpty())
        details += QStringLiteral("<p><b>%1 flagged for review:</b> %2</p>")
                       .arg(flagged.size())
                       .arg(numbersText(flagged));
    if (details.isEmpty())
        details = QStringLiteral("<p>Every question is answered and none is flagged.</p>");
    delete m_confirm;
    m_confirm = new QMessageBox(QMessageBox::Question, QStringLiteral("Submit the mock exam"), text,
                                QMessageBox::NoButton, this);
    m_confirm->setInformativeText(details);
    m_confirm->setTextFormat(Qt::RichText);
    QPushButton* yes = m_confirm->addButton(QStringLiteral("Submit"), QMessageBox::AcceptRole);
    m_confirm->addButton(QStringLiteral("Keep working"), QMessageBox::RejectRole);
    m_confirm->setDefaultButton(yes);
    connect(m_confirm, &QMessageBox::finished, this, [this, yes] {
        const bool accepted = m_confirm->clickedButton() == yes;
        m_confirm->deleteLater();
        m_confirm = nullptr;
        if (accepted)
            submit();
        else
            setFocus(Qt::OtherFocusReason);
    });
    m_confirm->open();
}

void MockExamView::submit() {
    if (m_state != State::Running)
        return;
    setState(State::Submitting);
    m_clock.stop();
    v1::SubmitMockRequest r;
    r.set_learner_id(m_session->learner().id());
    r.set_mock_id(m_mock.id());
    const std::string learner = m_session->learner().id(), mock = m_mock.id();
    m_session->call<v1::MockReport>(
        DaemonSession::Operation::Mock, this,
        [r, learner, mock](rpc::Client& c) -> rpc::Reply<v1::MockReport> {
            auto submitted = c.submitMock(r);
            if (submitted || submitted.error().codeName != "FAILED_PRECONDITION")
                return submitted;
            // Already submitted (time ran out on the daemon's clock first): read the report instead.
            v1::GetMockReportRequest g;
            g.set_learner_id(learner);
            g.set_mock_id(mock);
            return c.mockReport(g);
        },
        [this](const v1::MockReport& report) { showReport(report); },
        [this](const rpc::RpcError& e) { fail(e, QStringLiteral("The exam was not submitted.")); });
}

void MockExamView::showReport(const v1::MockReport& report) {
    m_error->clear();
    m_report->setReport(report, m_session->blueprint());
    setState(State::Report);
    m_report->setFocus(Qt::OtherFocusReason);
}

QString MockExamView::errorText() const {
    return m_error->text();
}

QAbstractButton* MockExamView::optionButton(int row) const {
    return row >= 0 && row < static_cast<int>(m_optionButtons.size())
               ? m_optionButtons[static_cast<size_t>(row)]
               : nullptr;
}

void MockExamView::keyPressEvent(QKeyEvent* event) {
    if (m_state == State::Start) {
        if (keys::isEnter(event)) {
            if (m_past->hasFocus() && m_past->currentItem())
                openMock(m_past->currentItem()->data(Qt::UserRole).toString().toStdString());
            else
                startMock();
            return;
        }
    } else if (m_state == State::Running) {
        const bool ctrl = event->modifiers() & Qt::ControlModifier;
        if (ctrl && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)) {
            requestSubmit();
            return;
        }
        if (ctrl && event->key() == Qt::Key_P) {
            togglePause();
            return;
        }
        if (keys::plain(event)) {
            switch (event->key()) {
                case Qt::Key_Right:
                case Qt::Key_N:
                    goTo(m_row + 1);
                    return;
                case Qt::Key_Left:
                case Qt::Key_P:
                    goTo(m_row - 1);
                    return;
                case Qt::Key_M:
                    toggleFlag();
                    return;
                case Qt::Key_Home:
                    goTo(0);
                    return;
                case Qt::Key_End:
                    goTo(m_mock.questions_size() - 1);
                    return;
                default:
                    break;
            }
            const int letter = keys::letter(event);
            if (letter >= 0 && !m_mock.questions().empty() &&
                letter < m_mock.questions(m_row).options_size()) {
                choose(letter);
                return;
            }
        }
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
