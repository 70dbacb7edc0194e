#include "desktop/views/browse_view.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "desktop/app/text_format.h"
#include "desktop/models/item_search_model.h"
#include "desktop/views/banner.h"
#include "desktop/views/flashcard_panel.h"
#include "desktop/views/keys.h"
#include "desktop/views/progress_charts.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {

constexpr uint32_t kPageSize = 100;

QString ratingText(v1::Rating r) {
    switch (r) {
        case v1::AGAIN:
            return QStringLiteral("Again");
        case v1::HARD:
            return QStringLiteral("Hard");
        case v1::GOOD:
            return QStringLiteral("Good");
        case v1::EASY:
            return QStringLiteral("Easy");
        default:
            return QStringLiteral("—");
    }
}

}  // namespace

BrowseView::BrowseView(DaemonSession* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_model(new ItemSearchModel(this)),
      m_error(new Banner(QStringLiteral("Retry"))),
      m_search(new QLineEdit),
      m_domain(new QComboBox),
      m_task(new QComboBox),
      m_kind(new QComboBox),
      m_state(new QComboBox),
      m_count(new QLabel),
      m_table(new QTableView),
      m_empty(theme::wrappedLabel()) {
    setFocusPolicy(Qt::StrongFocus);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(24, 18, 24, 14);
    column->setSpacing(10);
    auto* title = new QLabel(QStringLiteral("Browse"));
    title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(title);
    column->addWidget(m_error);
    connect(m_error, &Banner::actionClicked, this, &BrowseView::refresh);

    auto* filters = new QHBoxLayout;
    m_search->setPlaceholderText(QStringLiteral("Search prompts, answers, options, tags… (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(QStringLiteral("Every word must appear somewhere in the item"));
    filters->addWidget(m_search, 3);
    m_domain->setToolTip(QStringLiteral("Domain of the exam guide"));
    m_task->setToolTip(QStringLiteral("Task statement within the domain"));
    m_kind->setToolTip(QStringLiteral("Flashcards or exam-style questions"));
    m_state->setToolTip(QStringLiteral("Where the item stands in your memory"));
    m_kind->addItem(QStringLiteral("Any kind"), 0);
    for (auto k : {v1::FLASHCARD, v1::MULTIPLE_CHOICE, v1::MULTIPLE_RESPONSE})
        m_kind->addItem(itemKindText(k), static_cast<int>(k));
    m_state->addItem(QStringLiteral("Any state"), 0);
    for (auto s : {v1::NEW, v1::LEARNING, v1::REVIEW, v1::DUE, v1::LEECH, v1::SUSPENDED})
        m_state->addItem(itemStateText(s), static_cast<int>(s));
    for (QComboBox* c : {m_domain, m_task, m_kind, m_state}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        filters->addWidget(c, 1);
    }
    m_domain->setMaximumWidth(260);
    m_task->setMaximumWidth(300);
    column->addLayout(filters);
    theme::makeMuted(m_count);
    column->addWidget(m_count);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &BrowseView::refresh);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_debounce.stop();
        refresh();
        m_table->setFocus();
    });
    connect(m_domain, &QComboBox::currentIndexChanged, this, [this] {
        fillTasks();
        refresh();
    });
    for (QComboBox* c : {m_task, m_kind, m_state})
        connect(c, &QComboBox::currentIndexChanged, this, &BrowseView::refresh);
    auto* find = new QShortcut(QKeySequence::Find, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });

    // A shortcut, not keyPressEvent: the table would take a plain letter for its keyboard search.
    auto* suspend =
        new QShortcut(QKeySequence(Qt::Key_S), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(suspend, &QShortcut::activated, this, &BrowseView::toggleSuspended);

    m_table->setModel(m_model);
    theme::makeListTable(m_table);
    m_table->setToolTip(QStringLiteral("S suspends or unsuspends the selected item"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (const auto* item = m_model->item(current.row()))
                    fetchDetail(item->id());
            });
    connect(m_model, &ItemSearchModel::morePageWanted, this, &BrowseView::fetchPage);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    m_empty->setAlignment(Qt::AlignCenter);
    theme::makeMuted(m_empty);
    m_empty->hide();
    leftLayout->addWidget(m_empty);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(buildDetail());
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    column->addWidget(split, 1);
}

QWidget* BrowseView::buildDetail() {
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFocusPolicy(Qt::NoFocus);
    scroll->setMinimumWidth(340);
    m_detailPane = new QWidget;
    auto* column = new QVBoxLayout(m_detailPane);
    column->setContentsMargins(16, 12, 16, 12);
    column->setSpacing(8);
    auto* head = new QHBoxLayout;
    m_detailTitle = new QLabel(QStringLiteral("Select an item"));
    m_detailTitle->setFont(theme::scaled(font(), 1.1, true));
    m_detailTitle->setWordWrap(true);
    head->addWidget(m_detailTitle, 1);
    m_suspend = new QPushButton(QStringLiteral("Suspend"));
    m_suspend->setFocusPolicy(Qt::NoFocus);
    m_suspend->setEnabled(false);
    m_suspend->setToolTip(QStringLiteral("A suspended item is never scheduled until you unsuspend it (S)"));
    connect(m_suspend, &QPushButton::clicked, this, &BrowseView::toggleSuspended);
    head->addWidget(m_suspend, 0, Qt::AlignTop);
    column->addLayout(head);
    m_memory = theme::wrappedLabel();
    column->addWidget(m_memory);
    m_curve = new QChartView;
    m_curve->setRenderHint(QPainter::Antialiasing);
    m_curve->setMinimumHeight(210);
    m_curve->setBackgroundBrush(palette().color(QPalette::Base));
    m_curve->setFocusPolicy(Qt::NoFocus);
    m_curve->setFrameShape(QFrame::NoFrame);
    m_curve->setToolTip(
        QStringLiteral("The chance you recall this item, falling since your last review "
                       "(FSRS-6 with your parameters); the dot is now"));
    m_curve->hide();
    column->addWidget(m_curve);
    m_content = theme::wrappedLabel();
    column->addWidget(m_content);
    m_history = theme::wrappedLabel();
    column->addWidget(m_history);
    column->addStretch(1);
    scroll->setWidget(m_detailPane);
    return scroll;
}

void BrowseView::setBlueprint(const v1::Blueprint& blueprint) {
    m_blueprint = blueprint;
    const QSignalBlocker block(m_domain);
    m_domain->clear();
    m_domain->addItem(QStringLiteral("Any domain"), QString());
    for (const auto& d : blueprint.domains())
        m_domain->addItem(
            QStringLiteral("%1 %2").arg(QString::fromStdString(d.id()), QString::fromStdString(d.name())),
            QString::fromStdString(d.id()));
    fillTasks();
}

void BrowseView::fillTasks() {
    const QSignalBlocker block(m_task);
    m_task->clear();
    m_task->addItem(QStringLiteral("Any task statement"), QString());
    const std::string domain = m_domain->currentData().toString().toStdString();
    for (const auto& d : m_blueprint.domains()) {
        if (!domain.empty() && d.id() != domain)
            continue;
        for (const auto& t : d.task_statements()) {
            QString title = QString::fromStdString(t.title());
            if (title.size() > 48)
                title = title.left(47) + QStringLiteral("…");
            m_task->addItem(QStringLiteral("%1 %2").arg(QString::fromStdString(t.id()), title),
                            QString::fromStdString(t.id()));
            m_task->setItemData(m_task->count() - 1, QString::fromStdString(t.title()), Qt::ToolTipRole);
        }
    }
}

v1::SearchItemsRequest BrowseView::request() const {
    v1::SearchItemsRequest r;
    r.set_exam_code(m_session->learner().settings().exam_code());
    r.set_learner_id(m_session->learner().id());
    r.set_query(m_search->text().trimmed().toStdString());
    r.set_domain_id(m_domain->currentData().toString().toStdString());
    r.set_task_statement(m_task->currentData().toString().toStdString());
    r.set_kind(static_cast<v1::ItemKind>(m_kind->currentData().toInt()));
    r.set_state(static_cast<v1::ItemState>(m_state->currentData().toInt()));
    r.set_page_size(kPageSize);
    return r;
}

void BrowseView::refresh() {
    if (m_blueprint.domains().empty() && !m_session->blueprint().domains().empty())
        setBlueprint(m_session->blueprint());
    fetchPage(QString());
}

void BrowseView::fetchPage(const QString& token) {
    v1::SearchItemsRequest r = request();
    r.set_page_token(token.toStdString());
    const bool first = token.isEmpty();
    const quint64 generation = first ? ++m_searchGeneration : m_searchGeneration;
    const std::string selected = m_detail.item().id();
    ++m_loading;
    m_session->call<v1::SearchItemsResponse>(
        DaemonSession::Operation::Browse, this, [r](rpc::Client& c) { return c.searchItems(r); },
        [this, first, generation, selected](const v1::SearchItemsResponse& page) {
            --m_loading;
            if (generation != m_searchGeneration)
                return;
            m_error->clear();
            if (first)
                m_model->setFirstPage(page);
            else
                m_model->appendPage(page);
            m_count->setText(m_model->total() == 1 ? QStringLiteral("1 item")
                                                   : QStringLiteral("%1 items").arg(m_model->total()));
            const bool none = m_model->rowCount() == 0;
            m_empty->setText(
                QStringLiteral("No item matches. Clear the search or choose “Any” in a filter."));
            m_empty->setVisible(none);
            m_table->setVisible(!none);
            if (first) {
                m_table->resizeColumnToContents(ItemSearchModel::IdColumn);
                m_table->setColumnWidth(ItemSearchModel::IdColumn,
                                        std::min(m_table->columnWidth(ItemSearchModel::IdColumn), 190));
                for (int c : {ItemSearchModel::TaskColumn, ItemSearchModel::KindColumn,
                              ItemSearchModel::StateColumn, ItemSearchModel::DueColumn})
                    m_table->resizeColumnToContents(c);
                const int keep = m_model->rowOf(selected);
                selectRow(keep >= 0 ? keep : 0);
            }
            Q_EMIT searched();
        },
        [this](const rpc::RpcError& e) {
            --m_loading;
            fail(e, QStringLiteral("The search failed."));
        });
}

void BrowseView::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) {
        m_detail.Clear();
        m_detailTitle->setText(QStringLiteral("Select an item"));
        m_content->clear();
        m_memory->clear();
        m_history->clear();
        m_curve->hide();
        m_suspend->setEnabled(false);
        return;
    }
    m_table->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void BrowseView::fetchDetail(const std::string& itemId) {
    v1::GetItemRequest r;
    r.set_item_id(itemId);
    r.set_learner_id(m_session->learner().id());
    ++m_loading;
    m_session->call<v1::ItemDetail>(
        DaemonSession::Operation::Browse, this, [r](rpc::Client& c) { return c.getItem(r); },
        [this](const v1::ItemDetail& d) {
            --m_loading;
            // Only the latest selection: an older reply arriving late must not replace it.
            const auto* current = m_model->item(m_table->currentIndex().row());
            if (current && current->id() == d.item().id())
                showDetail(d);
        },
        [this](const rpc::RpcError& e) {
            --m_loading;
            fail(e, QStringLiteral("Could not read the item."));
        });
}

void BrowseView::showDetail(const v1::ItemDetail& d) {
    m_detail = d;
    const v1::Item& item = d.item();
    const v1::ItemMemory& m = d.memory();
    m_detailTitle->setText(
        QStringLiteral("%1 · %2").arg(QString::fromStdString(item.id()), itemKindText(item.kind())));
    QString content = QStringLiteral("<p>%1</p>").arg(safeTextToHtml(item.prompt()));
    if (item.kind() == v1::FLASHCARD) {
        content += QStringLiteral("<p><b>Answer:</b> %1</p>").arg(safeTextToHtml(item.answer()));
    } else {
        for (int i = 0; i < item.options_size(); ++i)
            content += QStringLiteral("<p>%1<b>%2.</b> %3</p>")
                           .arg(item.options(i).correct() ? QStringLiteral("✓ ") : QString(), optionLetter(i),
                                safeTextToHtml(item.options(i).text()));
    }
    if (!item.explanation().empty())
        content += QStringLiteral("<p><i>%1</i></p>").arg(safeTextToHtml(item.explanation()));
    if (const QString refs = referencesHtml(item.references(), item.as_of()); !refs.isEmpty())
        content += QStringLiteral("<p>%1</p>").arg(refs);
    m_content->setText(content);

    const bool suspended = d.suspended() || m.state() == v1::SUSPENDED;
    m_suspend->setEnabled(true);
    m_suspend->setText(suspended ? QStringLiteral("Unsuspend") : QStringLiteral("Suspend"));
    QString memory = QStringLiteral("<b>%1</b>").arg(itemStateText(m.state()));
    if (m.reviews() > 0 || m.stability() > 0) {
        memory += QStringLiteral(" · recall now %1% · stability %2 · difficulty %3/10")
                      .arg(std::lround(m.retrievability() * 100))
                      .arg(intervalText(static_cast<uint32_t>(std::max(0.0, std::round(m.stability())))))
                      .arg(m.difficulty(), 0, 'f', 1);
        memory += QStringLiteral("<br/>%1 reviews, %2 lapses · due %3")
                      .arg(m.reviews())
                      .arg(m.lapses())
                      .arg(longDateText(m.due_date()));
    } else {
        memory += QStringLiteral(" · not studied yet: it has no forgetting curve until your first answer.");
    }
    m_memory->setText(memory);

    const double desired = m_session->learner().settings().desired_retention();
    QChart* old = m_curve->chart();
    m_curve->setChart(charts::forgettingCurve(m, desired, palette()));
    delete old;
    m_curve->setVisible(!m_curve->chart()->series().isEmpty());

    if (d.history().empty()) {
        m_history->setText(QString());
    } else {
        QString h = QStringLiteral(
            "<p><b>History</b></p><table cellspacing='0' cellpadding='3'>"
            "<tr><th align='left'>When</th><th align='left'>Answer</th>"
            "<th align='right'>Recall before</th><th align='right'>Stability after</th></tr>");
        for (const auto& r : d.history()) {
            const QString when =
                QDateTime::fromMSecsSinceEpoch(r.time_ms()).toString(QStringLiteral("d MMM yyyy HH:mm"));
            const QString answer = item.kind() == v1::FLASHCARD
                                       ? ratingText(r.rating())
                                       : (r.correct() ? QStringLiteral("right") : QStringLiteral("wrong"));
            h += QStringLiteral(
                     "<tr><td>%1</td><td>%2</td><td align='right'>%3</td><td align='right'>%4</td></tr>")
                     .arg(when, answer,
                          r.retrievability_before() > 0
                              ? QStringLiteral("%1%").arg(std::lround(r.retrievability_before() * 100))
                              : QStringLiteral("first"),
                          QStringLiteral("%1 d").arg(r.stability(), 0, 'f', 1));
        }
        h += QStringLiteral("</table>");
        m_history->setText(h);
    }
    Q_EMIT detailShown();
}

void BrowseView::toggleSuspended() {
    if (m_detail.item().id().empty())
        return;
    v1::SetSuspendedRequest r;
    r.set_learner_id(m_session->learner().id());
    r.set_item_id(m_detail.item().id());
    r.set_suspended(!(m_detail.suspended() || m_detail.memory().state() == v1::SUSPENDED));
    m_suspend->setEnabled(false);
    ++m_loading;
    m_session->call<v1::ItemDetail>(
        DaemonSession::Operation::Browse, this, [r](rpc::Client& c) { return c.setSuspended(r); },
        [this](const v1::ItemDetail& d) {
            --m_loading;
            m_model->updateItem(d.item().id(), d.memory());
            showDetail(d);
        },
        [this](const rpc::RpcError& e) {
            --m_loading;
            m_suspend->setEnabled(true);
            fail(e, QStringLiteral("The item was not changed."));
        });
}

void BrowseView::fail(const rpc::RpcError& error, const QString& what) {
    m_error->showMessage(
        QStringLiteral("<b>%1</b> %2").arg(what.toHtmlEscaped(), describeError(error).toHtmlEscaped()));
}

QString BrowseView::historyText() const {
    return m_history->text();
}

QString BrowseView::countText() const {
    return m_count->text();
}

QString BrowseView::errorText() const {
    return m_error->text();
}

void BrowseView::keyPressEvent(QKeyEvent* event) {
    if (keys::isEnter(event)) {
        m_table->setFocus();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
