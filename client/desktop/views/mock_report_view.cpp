#include "desktop/views/mock_report_view.h"

#include <QCheckBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "desktop/models/mock_review_model.h"
#include "desktop/views/keys.h"
#include "desktop/views/stat_tile.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

MockReportView::MockReportView(QWidget* parent)
    : QWidget(parent),
      m_model(new MockReviewModel(this)),
      m_title(new QLabel),
      m_note(theme::wrappedLabel()),
      m_score(new StatTile(QStringLiteral("Scaled score"))),
      m_result(new StatTile(QStringLiteral("Result"))),
      m_correct(new StatTile(QStringLiteral("Scored questions right"))),
      m_domains(new QVBoxLayout),
      m_wrongOnly(new QCheckBox(QStringLiteral("Only questions I got wrong"))),
      m_table(new QTableView),
      m_detail(theme::wrappedLabel()),
      m_done(new QPushButton(QStringLiteral("Done"))) {
    setFocusPolicy(Qt::StrongFocus);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(10);
    auto* head = new QHBoxLayout;
    m_title->setFont(theme::scaled(font(), 1.8, true));
    head->addWidget(m_title, 1);
    m_done->setToolTip(QStringLiteral("Back to the mock exam page (Enter)"));
    m_done->setFocusPolicy(Qt::NoFocus);
    head->addWidget(m_done);
    column->addLayout(head);
    connect(m_done, &QPushButton::clicked, this, &MockReportView::doneClicked);
    theme::makeMuted(m_note);
    column->addWidget(m_note);

    auto* top = new QHBoxLayout;
    top->setSpacing(14);
    auto* tiles = new QVBoxLayout;
    tiles->setSpacing(10);
    for (StatTile* t : {m_score, m_result, m_correct}) {
        t->setValueScale(1.6);
        tiles->addWidget(t);
    }
    top->addLayout(tiles, 2);
    auto* domainsFrame = new QFrame;
    domainsFrame->setObjectName(QStringLiteral("tile"));
    auto* domainsLayout = new QVBoxLayout(domainsFrame);
    domainsLayout->setContentsMargins(18, 14, 18, 14);
    auto* domainsTitle = new QLabel(QStringLiteral("By domain"));
    domainsTitle->setFont(theme::scaled(font(), 1.05, true));
    domainsLayout->addWidget(domainsTitle);
    domainsLayout->addLayout(m_domains);
    domainsLayout->addStretch(1);
    top->addWidget(domainsFrame, 5);
    column->addLayout(top);

    auto* reviewHead = new QHBoxLayout;
    auto* reviewTitle = new QLabel(QStringLiteral("Review of every answer"));
    reviewTitle->setFont(theme::scaled(font(), 1.2, true));
    reviewHead->addWidget(reviewTitle);
    reviewHead->addStretch(1);
    m_wrongOnly->setFocusPolicy(Qt::NoFocus);
    reviewHead->addWidget(m_wrongOnly);
    column->addLayout(reviewHead);
    connect(m_wrongOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_model->setWrongOnly(on);
        selectReview(0);
    });

    m_table->setModel(m_model);
    theme::makeListTable(m_table);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MockReportView::showSelected);
    auto* detailScroll = new QScrollArea;
    auto* detailBox = new QWidget;
    auto* detailLayout = new QVBoxLayout(detailBox);
    detailLayout->setContentsMargins(16, 12, 16, 12);
    detailLayout->addWidget(m_detail);
    detailLayout->addStretch(1);
    detailScroll->setWidget(detailBox);
    detailScroll->setWidgetResizable(true);
    detailScroll->setFocusPolicy(Qt::NoFocus);
    detailScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_detail->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_split = new QSplitter(Qt::Horizontal);
    m_split->addWidget(m_table);
    m_split->addWidget(detailScroll);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    column->addWidget(m_split, 1);
}

void MockReportView::setReport(const v1::MockReport& report, const v1::Blueprint& blueprint) {
    m_report = report;
    const QPalette& p = palette();
    const QColor right = theme::rightColor(p), wrong = theme::wrongColor(p);
    m_model->setColors(right, wrong);
    m_model->setReport(report);
    const QString when =
        QDateTime::fromMSecsSinceEpoch(report.finished_ms() ? report.finished_ms() : report.started_ms())
            .toString(QStringLiteral("d MMM yyyy"));
    m_title->setText(QStringLiteral("Mock exam report · %1").arg(when));
    QStringList notes;
    if (!report.full_form())
        notes << QStringLiteral(
            "Practice form: shorter than the exam, so it has no scaled score and no pass or fail (a handful "
            "of answers cannot say). Its answers count toward your readiness like any others.");
    else if (!report.exam_conditions())
        notes << QStringLiteral(
            "Not under exam conditions (paused, or with other timing), so the score is only indicative.");
    if (report.timed_out())
        notes << QStringLiteral("Time ran out; unanswered questions count as wrong.");
    if (report.full_form() && !report.assumption_note().empty())  // about scaled scores: none here otherwise
        notes << QString::fromStdString(report.assumption_note()).toHtmlEscaped();
    m_note->setText(notes.join(QStringLiteral("<br/>")));
    m_note->setVisible(!notes.isEmpty());

    const uint32_t max = blueprint.form().scaled_score_max() ? blueprint.form().scaled_score_max() : 1000;
    m_score->setVisible(report.full_form());
    m_result->setVisible(report.full_form());
    if (report.full_form()) {
        m_score->setValue(QString::number(report.scaled_score()));
        m_score->setDetail(
            QStringLiteral("of %1 · pass mark %2").arg(max).arg(report.passing_scaled_score()));
        m_result->setValue(report.passed() ? QStringLiteral("Pass") : QStringLiteral("Fail"));
        m_result->setDetail(report.passed() ? QStringLiteral("at or above the pass mark")
                                            : QStringLiteral("%1 points short of the pass mark")
                                                  .arg(static_cast<int>(report.passing_scaled_score()) -
                                                       static_cast<int>(report.scaled_score())));
        m_result->setValueColor(report.passed() ? right : wrong);
    }
    m_correct->setValue(QStringLiteral("%1 of %2").arg(report.scored_correct()).arg(report.scored_total()));
    m_correct->setDetail(report.scored_total()
                             ? QStringLiteral("%1% · unscored questions not counted")
                                   .arg(100 * report.scored_correct() / report.scored_total())
                             : QString());

    while (QLayoutItem* item = m_domains->takeAt(0)) {
        if (QLayout* l = item->layout()) {
            while (QLayoutItem* inner = l->takeAt(0)) {
                delete inner->widget();
                delete inner;
            }
        }
        delete item->widget();
        delete item;
    }
    m_domainTexts.clear();
    for (const auto& d : report.domains()) {
        auto* row = new QGridLayout;
        auto* name = new QLabel(QStringLiteral("%1 %2").arg(QString::fromStdString(d.domain_id()),
                                                            QString::fromStdString(d.name())));
        name->setWordWrap(true);
        // A practice form has a question or two per domain: counts, not a verdict on competence.
        auto* verdict = new QLabel(!report.full_form() ? QString()
                                   : d.meets()         ? QStringLiteral("Meets competencies")
                                                       : QStringLiteral("Needs improvement"));
        verdict->setFont(theme::scaled(font(), 0.95, true));
        QPalette vp = verdict->palette();
        vp.setColor(QPalette::WindowText, d.meets() ? right : wrong);
        verdict->setPalette(vp);
        auto* bar = new QProgressBar;
        bar->setRange(0, static_cast<int>(std::max<uint32_t>(1, d.total())));
        bar->setValue(static_cast<int>(d.correct()));
        bar->setFormat(QStringLiteral("%1 of %2").arg(d.correct()).arg(d.total()));
        bar->setTextVisible(true);
        bar->setMaximumHeight(fontMetrics().height() + 6);
        bar->setToolTip(QStringLiteral("Scored questions of this domain answered right"));
        row->addWidget(name, 0, 0);
        row->addWidget(verdict, 0, 1, Qt::AlignRight);
        row->addWidget(bar, 1, 0, 1, 2);
        row->setColumnStretch(0, 1);
        m_domains->addLayout(row);
        m_domainTexts << QStringLiteral("%1: %2 (%3/%4)")
                             .arg(QString::fromStdString(d.name()),
                                  !report.full_form() ? QStringLiteral("practice")
                                  : d.meets()         ? QStringLiteral("meets")
                                                      : QStringLiteral("needs improvement"))
                             .arg(d.correct())
                             .arg(d.total());
    }
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(MockReviewModel::PromptColumn, 260);
    m_split->setSizes({1, 1});  // equal halves: the review needs room to read
    selectReview(0);
}

void MockReportView::selectReview(int row) {
    if (row < 0 || row >= m_model->rowCount()) {
        m_detail->setText(m_model->rowCount() == 0 ? QStringLiteral("No questions to show.") : QString());
        return;
    }
    m_table->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    showSelected();
}

void MockReportView::showSelected() {
    const auto* r = m_model->review(m_table->currentIndex().row());
    if (!r)
        return;
    m_detail->setText(reviewHtml(*r, theme::rightColor(palette()), theme::wrongColor(palette())));
}

QStringList MockReportView::domainTexts() const {
    return m_domainTexts;
}

QString MockReportView::reviewText() const {
    return m_detail->text();
}

void MockReportView::keyPressEvent(QKeyEvent* event) {
    if (keys::isEnter(event)) {
        Q_EMIT doneClicked();
        return;
    }
    if (keys::plain(event) && (event->key() == Qt::Key_Down || event->key() == Qt::Key_Up)) {
        selectReview(m_table->currentIndex().row() + (event->key() == Qt::Key_Down ? 1 : -1));
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
