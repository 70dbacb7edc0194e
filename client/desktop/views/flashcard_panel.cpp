#include "desktop/views/flashcard_panel.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "desktop/app/text_format.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

namespace {
constexpr std::array<const char*, 4> kGradeNames = {"Again", "Hard", "Good", "Easy"};
constexpr std::array<const char*, 4> kGradeMeaning = {
    "You did not recall it: see it again soon",
    "You recalled it, with real effort",
    "You recalled it after a moment's thought",
    "You recalled it at once",
};
}  // namespace

QString referencesHtml(const google::protobuf::RepeatedPtrField<v1::Reference>& references,
                       const std::string& asOf) {
    QStringList parts;
    for (const auto& r : references) {
        const QString title = QString::fromStdString(r.title()).toHtmlEscaped();
        if (!r.url().empty())
            parts << QStringLiteral("<a href=\"%1\">%2</a>")
                         .arg(QString::fromStdString(r.url()).toHtmlEscaped(), title);
        else if (!r.citation().empty())
            parts << QStringLiteral("%1 (%2)").arg(title,
                                                   QString::fromStdString(r.citation()).toHtmlEscaped());
        else
            parts << title;
    }
    QString html =
        parts.isEmpty() ? QString() : QStringLiteral("<b>See:</b> ") + parts.join(QStringLiteral(" · "));
    if (!asOf.empty())
        html += QStringLiteral("%1<i>Service availability as of %2.</i>")
                    .arg(html.isEmpty() ? QString() : QStringLiteral("<br/>"),
                         QString::fromStdString(asOf).toHtmlEscaped());
    return html;
}

FlashcardPanel::FlashcardPanel(QWidget* parent)
    : QWidget(parent),
      m_front(theme::wrappedLabel()),
      m_divider(new QFrame),
      m_back(theme::wrappedLabel()),
      m_explanation(theme::wrappedLabel()),
      m_references(theme::wrappedLabel()),
      m_reveal(new QPushButton(QStringLiteral("Show answer   (Space)"))),
      m_gradeRow(new QWidget) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(16);

    auto* card = new QFrame;
    card->setObjectName(QStringLiteral("card"));
    auto* cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(28, 24, 28, 24);
    cardLayout->setSpacing(14);
    m_front->setFont(theme::scaled(font(), 1.3));
    m_front->setObjectName(QStringLiteral("front"));
    m_divider->setFrameShape(QFrame::HLine);
    m_divider->setFrameShadow(QFrame::Sunken);
    m_back->setFont(theme::scaled(font(), 1.3, true));
    m_back->setObjectName(QStringLiteral("back"));
    theme::makeMuted(m_explanation);
    theme::makeMuted(m_references);
    cardLayout->addWidget(m_front);
    cardLayout->addWidget(m_divider);
    cardLayout->addWidget(m_back);
    cardLayout->addWidget(m_explanation);
    cardLayout->addWidget(m_references);
    layout->addWidget(card);

    m_reveal->setObjectName(QStringLiteral("primary"));
    m_reveal->setFocusPolicy(Qt::NoFocus);
    m_reveal->setToolTip(QStringLiteral("Try to recall the answer first, then reveal it (Space)"));
    connect(m_reveal, &QPushButton::clicked, this, &FlashcardPanel::revealClicked);
    auto* revealRow = new QHBoxLayout;
    revealRow->addStretch(1);
    revealRow->addWidget(m_reveal);
    revealRow->addStretch(1);
    layout->addLayout(revealRow);

    auto* grades = new QHBoxLayout(m_gradeRow);
    grades->setContentsMargins(0, 0, 0, 0);
    grades->setSpacing(10);
    for (int i = 0; i < 4; ++i) {
        auto* b = new QPushButton;
        b->setFocusPolicy(Qt::NoFocus);
        b->setMinimumHeight(b->fontMetrics().height() * 3);
        connect(b, &QPushButton::clicked, this, [this, i] { Q_EMIT gradeClicked(i + 1); });
        m_grades[static_cast<size_t>(i)] = b;
        grades->addWidget(b, 1);
    }
    layout->addWidget(m_gradeRow);
    layout->addStretch(1);
    m_gradeRow->hide();
}

void FlashcardPanel::showCard(const v1::PresentedItem& item, const std::vector<uint32_t>& intervalDays) {
    m_itemId = item.id();
    m_intervals = intervalDays;
    m_hasBack = false;
    m_revealed = false;
    m_front->setText(safeTextToHtml(item.prompt()));
    m_back->clear();
    m_explanation->clear();
    m_references->clear();
    for (QWidget* w : {static_cast<QWidget*>(m_divider), static_cast<QWidget*>(m_back),
                       static_cast<QWidget*>(m_explanation), static_cast<QWidget*>(m_references), m_gradeRow})
        w->hide();
    m_reveal->show();
    m_reveal->setEnabled(true);
    updateGradeButtons();
    setGradingEnabled(true);
}

void FlashcardPanel::setBack(const v1::ItemDetail& detail) {
    if (detail.item().id() != m_itemId)
        return;
    m_back->setText(safeTextToHtml(detail.item().answer()));
    m_explanation->setText(safeTextToHtml(detail.item().explanation()));
    m_references->setText(referencesHtml(detail.item().references(), detail.item().as_of()));
    m_hasBack = true;
}

void FlashcardPanel::reveal() {
    if (!m_hasBack)
        return;
    m_revealed = true;
    m_divider->show();
    m_back->show();
    m_explanation->setVisible(!m_explanation->text().isEmpty());
    m_references->setVisible(!m_references->text().isEmpty());
    m_reveal->hide();
    m_gradeRow->show();
}

void FlashcardPanel::setGradingEnabled(bool enabled) {
    for (auto* b : m_grades)
        b->setEnabled(enabled);
}

void FlashcardPanel::updateGradeButtons() {
    for (size_t i = 0; i < 4; ++i) {
        const QString name = QString::fromLatin1(kGradeNames[i]);
        const bool known = i < m_intervals.size();
        const QString when = known ? intervalText(m_intervals[i]) : QString();
        m_grades[i]->setText(known ? QStringLiteral("%1  %2\n%3").arg(i + 1).arg(name, when)
                                   : QStringLiteral("%1  %2").arg(i + 1).arg(name));
        m_grades[i]->setToolTip(
            known ? QStringLiteral("%1 (%2). Next review: %3.")
                        .arg(QString::fromLatin1(kGradeMeaning[i]))
                        .arg(i + 1)
                        .arg(when)
                  : QStringLiteral("%1 (%2).").arg(QString::fromLatin1(kGradeMeaning[i])).arg(i + 1));
    }
}

QString FlashcardPanel::frontText() const {
    return m_front->text();
}

QString FlashcardPanel::backText() const {
    return m_revealed ? m_back->text() : QString();
}

QPushButton* FlashcardPanel::gradeButton(int rating) const {
    return rating >= 1 && rating <= 4 ? m_grades[static_cast<size_t>(rating - 1)] : nullptr;
}

}  // namespace retain::desktop
