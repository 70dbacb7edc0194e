#include "desktop/views/summary_view.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <array>
#include <cmath>

#include "desktop/app/text_format.h"
#include "desktop/views/keys.h"
#include "desktop/views/stat_tile.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {

constexpr std::array<const char*, 4> kGrades = {"Again", "Hard", "Good", "Easy"};

std::array<QColor, 4> gradeColors(const QPalette& p) {
    const bool dark = theme::isDark(p);
    return {theme::wrongColor(p), theme::warningColor(p), theme::rightColor(p),
            dark ? QColor(0x58, 0xa6, 0xff) : QColor(0x09, 0x69, 0xda)};
}

}  // namespace

// The share of each grade as one rounded bar.
class GradeBar : public QWidget {
public:
    GradeBar() { setMinimumHeight(14); }
    void setCounts(const std::array<uint32_t, 4>& counts) {
        m_counts = counts;
        update();
    }
    QSize sizeHint() const override { return {400, 14}; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
        QPainterPath clip;
        clip.addRoundedRect(r, r.height() / 2, r.height() / 2);
        p.setClipPath(clip);
        p.fillRect(r, palette().color(QPalette::Midlight));
        uint32_t total = 0;
        for (uint32_t c : m_counts)
            total += c;
        if (total == 0)
            return;
        const auto colors = gradeColors(palette());
        double x = r.left();
        for (size_t i = 0; i < 4; ++i) {
            const double w = r.width() * m_counts[i] / total;
            p.fillRect(QRectF(x, r.top(), w, r.height()), colors[i]);
            x += w;
        }
    }

private:
    std::array<uint32_t, 4> m_counts{};
};

SummaryView::SummaryView(QWidget* parent)
    : QWidget(parent),
      m_model(new MasteryChangeModel(this)),
      m_title(new QLabel(QStringLiteral("Session complete"))),
      m_reason(new QLabel),
      m_answered(new StatTile(QStringLiteral("Answered"))),
      m_correct(new StatTile(QStringLiteral("Correct"))),
      m_new(new StatTile(QStringLiteral("New"))),
      m_time(new StatTile(QStringLiteral("Time"))),
      m_gradesTitle(new QLabel(QStringLiteral("Grades"))),
      m_bar(new GradeBar),
      m_legend(new QLabel),
      m_masteryTitle(new QLabel(QStringLiteral("Mastery of the task statements you studied"))),
      m_table(new QTableView),
      m_empty(theme::wrappedLabel()),
      m_done(new QPushButton(QStringLiteral("Back to Today   (Enter)"))) {
    setFocusPolicy(Qt::StrongFocus);
    auto* outer = new QHBoxLayout(this);
    auto* column = new QVBoxLayout;
    outer->addStretch(1);
    outer->addLayout(column, 12);
    outer->addStretch(1);
    column->setContentsMargins(0, 24, 0, 24);
    column->setSpacing(12);

    m_title->setFont(theme::scaled(font(), 2.0, true));
    column->addWidget(m_title);
    theme::makeMuted(m_reason);
    m_reason->setWordWrap(true);
    column->addWidget(m_reason);

    auto* tiles = new QGridLayout;
    tiles->setSpacing(14);
    int c = 0;
    for (StatTile* t : {m_answered, m_correct, m_new, m_time}) {
        tiles->addWidget(t, 0, c);
        tiles->setColumnStretch(c++, 1);
    }
    m_correct->setToolTip(QStringLiteral("Questions answered right and cards not graded Again"));
    m_time->setToolTip(QStringLiteral("Sum of your response times"));
    column->addLayout(tiles);

    for (QLabel* l : {m_gradesTitle, m_masteryTitle})
        l->setFont(theme::scaled(font(), 1.1, true));
    column->addSpacing(6);
    column->addWidget(m_gradesTitle);
    column->addWidget(m_bar);
    m_legend->setTextFormat(Qt::RichText);
    column->addWidget(m_legend);

    column->addSpacing(6);
    column->addWidget(m_masteryTitle);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(MasteryChangeModel::TaskStatementColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setToolTip(QStringLiteral("Estimated chance of answering an unseen exam question correctly"));
    column->addWidget(m_table);
    theme::makeMuted(m_empty);
    column->addWidget(m_empty);

    m_done->setObjectName(QStringLiteral("primary"));
    m_done->setFocusPolicy(Qt::NoFocus);
    m_done->setToolTip(QStringLiteral("See what is left for today (Enter)"));
    connect(m_done, &QPushButton::clicked, this, &SummaryView::doneClicked);
    auto* doneRow = new QHBoxLayout;
    doneRow->addStretch(1);
    doneRow->addWidget(m_done);
    doneRow->addStretch(1);
    column->addSpacing(8);
    column->addLayout(doneRow);
    column->addStretch(1);
    updateColors();
}

void SummaryView::setSummary(const v1::SessionSummary& s, const QString& reason,
                             const MasteryChangeModel::TitleLookup& titles) {
    m_reason->setText(reason.isEmpty() ? QString()
                                       : reason.left(1).toUpper() + reason.mid(1) +
                                             (reason.endsWith(u'.') ? QString() : QStringLiteral(".")));
    m_title->setText(s.answered() > 0 ? QStringLiteral("Session complete") : QStringLiteral("Session ended"));
    m_answered->setValue(QString::number(s.answered()));
    m_answered->setDetail(s.answered() == 1 ? QStringLiteral("item") : QStringLiteral("items"));
    if (s.answered() > 0) {
        const long pct = std::lround(100.0 * s.correct() / s.answered());
        m_correct->setValue(QStringLiteral("%1 %").arg(pct));
        m_correct->setDetail(QStringLiteral("%1 of %2").arg(s.correct()).arg(s.answered()));
    } else {
        m_correct->setValue(QStringLiteral("—"));
        m_correct->setDetail(QString());
    }
    m_new->setValue(QString::number(s.new_items()));
    m_new->setDetail(QStringLiteral("first seen today"));
    const double minutes = s.seconds() / 60.0;
    m_time->setValue(minutes < 1.0 ? QStringLiteral("%1 s").arg(std::lround(s.seconds()))
                                   : QStringLiteral("%1 min").arg(std::lround(minutes)));
    const double perItem = s.answered() > 0 ? s.seconds() / s.answered() : 0.0;
    m_time->setDetail(s.answered() == 0 ? QString()
                      : perItem < 1.0   ? QStringLiteral("under 1 s per item")
                                        : QStringLiteral("%1 s per item").arg(std::lround(perItem)));

    m_bar->setCounts({s.again(), s.hard(), s.good(), s.easy()});
    const auto colors = gradeColors(palette());
    const std::array<uint32_t, 4> counts = {s.again(), s.hard(), s.good(), s.easy()};
    QStringList legend;
    for (size_t i = 0; i < 4; ++i)
        legend << QStringLiteral("<span style=\"color:%1\">■</span> %2 %3")
                      .arg(theme::cssColor(colors[i]), QString::fromLatin1(kGrades[i]))
                      .arg(counts[i]);
    m_legend->setText(legend.join(QStringLiteral("&nbsp;&nbsp;&nbsp;&nbsp;")));

    m_model->setSummary(s, titles);
    const bool any = s.answered() > 0;
    for (QWidget* w : {static_cast<QWidget*>(m_gradesTitle), static_cast<QWidget*>(m_bar),
                       static_cast<QWidget*>(m_legend)})
        w->setVisible(any);
    const bool changes = m_model->rowCount() > 0;
    m_masteryTitle->setVisible(changes);
    m_table->setVisible(changes);
    if (changes) {
        // Tall enough for every row (up to a dozen), so the table does not scroll inside the page.
        m_table->resizeRowsToContents();
        const int rows = std::min(m_model->rowCount(), 12);
        int h = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
        for (int r = 0; r < rows; ++r)
            h += m_table->rowHeight(r);
        m_table->setFixedHeight(h);
    }
    m_empty->setText(any ? QString()
                         : QStringLiteral("No answers in this session, so nothing changed. "
                                          "Start again from Today whenever you are ready."));
    m_empty->setVisible(!any);
}

QString SummaryView::gradesText() const {
    return m_legend->text();
}

void SummaryView::updateColors() {
    const QPalette& p = palette();
    m_model->setChangeColors(theme::rightColor(p), theme::wrongColor(p));
}

void SummaryView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        updateColors();
    QWidget::changeEvent(event);
}

void SummaryView::keyPressEvent(QKeyEvent* event) {
    if (keys::isEnter(event) || event->key() == Qt::Key_Escape) {
        Q_EMIT doneClicked();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace retain::desktop
