#include "desktop/views/question_panel.h"

#include <QCheckBox>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "desktop/app/text_format.h"
#include "desktop/models/option_list_model.h"
#include "desktop/views/flashcard_panel.h"
#include "desktop/views/theme.h"

namespace retain::desktop {

using Verdict = OptionListModel::Verdict;

QuestionPanel::QuestionPanel(OptionListModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_stem(theme::wrappedLabel()),
      m_hint(new QLabel),
      m_optionsLayout(new QVBoxLayout),
      m_feedback(new QFrame),
      m_verdict(theme::wrappedLabel()),
      m_explanation(theme::wrappedLabel()),
      m_references(theme::wrappedLabel()),
      m_submit(new QPushButton(QStringLiteral("Submit   (Enter)"))),
      m_continue(new QPushButton(QStringLiteral("Continue   (Enter)"))) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);
    m_stem->setFont(theme::scaled(font(), 1.2));
    m_stem->setObjectName(QStringLiteral("stem"));
    layout->addWidget(m_stem);
    theme::makeMuted(m_hint);
    layout->addWidget(m_hint);
    m_optionsLayout->setSpacing(8);
    layout->addLayout(m_optionsLayout);

    m_feedback->setObjectName(QStringLiteral("card"));
    auto* fb = new QVBoxLayout(m_feedback);
    fb->setContentsMargins(20, 16, 20, 16);
    fb->setSpacing(10);
    m_verdict->setFont(theme::scaled(font(), 1.15, true));
    fb->addWidget(m_verdict);
    fb->addWidget(m_explanation);
    theme::makeMuted(m_references);
    fb->addWidget(m_references);
    layout->addWidget(m_feedback);
    m_feedback->hide();

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    for (QPushButton* b : {m_submit, m_continue}) {
        b->setObjectName(QStringLiteral("primary"));
        b->setFocusPolicy(Qt::NoFocus);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addStretch(1);
    m_submit->setToolTip(QStringLiteral("Record your answer (Enter)"));
    m_continue->setToolTip(QStringLiteral("Go on to the next item (Enter)"));
    m_continue->hide();
    connect(m_submit, &QPushButton::clicked, this, &QuestionPanel::submitClicked);
    connect(m_continue, &QPushButton::clicked, this, &QuestionPanel::continueClicked);
    connect(m_model, &OptionListModel::modelReset, this, &QuestionPanel::rebuildRows);
    connect(m_model, &OptionListModel::dataChanged, this, &QuestionPanel::syncRows);
    connect(m_model, &OptionListModel::choiceChanged, this, &QuestionPanel::updateHint);
}

void QuestionPanel::showQuestion(const v1::PresentedItem& item) {
    m_stem->setText(safeTextToHtml(item.prompt()));
    m_feedback->hide();
    m_continue->hide();
    m_submit->show();
    m_submitting = false;
    m_preview = false;
    m_model->setQuestion(item);  // rebuilds the rows
}

void QuestionPanel::showFeedback(const v1::AnswerResponse& answer, bool preview) {
    m_submitting = false;
    m_preview = preview;
    m_model->setFeedback(answer);
    const QPalette& p = palette();
    const QString color = theme::cssColor(answer.correct() ? theme::rightColor(p) : theme::wrongColor(p));
    if (answer.correct()) {
        m_verdict->setText(QStringLiteral("<span style=\"color:%1\">✓ Correct.</span>").arg(color));
    } else {
        const QList<int> right = m_model->correctRows();
        m_verdict->setText(QStringLiteral("<span style=\"color:%1\">✗ Not quite.</span> The answer is %2.")
                               .arg(color, lettersText(right)));
    }
    m_explanation->setText(safeTextToHtml(answer.explanation()));
    m_references->setText(referencesHtml(answer.references(), answer.as_of()));
    m_references->setVisible(!m_references->text().isEmpty());
    m_feedback->show();
    m_submit->hide();
    m_continue->setVisible(!preview);
    updateHint();
}

void QuestionPanel::setSubmitting(bool submitting) {
    m_submitting = submitting;
    updateHint();
}

void QuestionPanel::rebuildRows() {
    for (Row& r : m_rows)
        delete r.frame;
    m_rows.clear();
    const bool multiple = m_model->multipleResponse();
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QModelIndex index = m_model->index(i);
        Row r;
        r.frame = new QFrame;
        r.frame->setObjectName(QStringLiteral("option"));
        auto* grid = new QHBoxLayout(r.frame);
        grid->setContentsMargins(12, 8, 12, 8);
        grid->setSpacing(10);
        const QString letter = index.data(OptionListModel::LetterRole).toString();
        if (multiple)
            r.button = new QCheckBox(letter);
        else
            r.button = new QRadioButton(letter);
        r.button->setAutoExclusive(false);  // the model decides
        r.button->setFocusPolicy(Qt::NoFocus);
        r.button->setToolTip(QStringLiteral("Press %1 to choose this option").arg(letter));
        connect(r.button, &QAbstractButton::clicked, this, [this, i] {
            m_model->toggle(i);
            syncRows();  // a click flips the button itself; the model has the last word
        });
        grid->addWidget(r.button, 0, Qt::AlignTop);
        auto* textColumn = new QVBoxLayout;
        textColumn->setSpacing(4);
        r.text = theme::wrappedLabel(index.data(Qt::DisplayRole).toString().toHtmlEscaped());
        r.text->setTextInteractionFlags(Qt::NoTextInteraction);
        r.text->setCursor(Qt::PointingHandCursor);
        r.text->installEventFilter(this);
        r.mark = new QLabel;
        r.mark->setFont(theme::scaled(font(), 0.95, true));
        r.explanation = theme::wrappedLabel();
        textColumn->addWidget(r.text);
        textColumn->addWidget(r.mark);
        textColumn->addWidget(r.explanation);
        r.mark->hide();
        r.explanation->hide();
        grid->addLayout(textColumn, 1);
        m_optionsLayout->addWidget(r.frame);
        m_rows.push_back(r);
    }
    syncRows();
    updateHint();
}

void QuestionPanel::syncRows() {
    const QPalette& p = palette();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row& r = m_rows[i];
        const QModelIndex index = m_model->index(static_cast<int>(i));
        r.button->setChecked(index.data(OptionListModel::ChosenRole).toBool());
        // Stays enabled after the answer (the model ignores changes then): a disabled indicator is too
        // faint to show what was chosen.
        const auto verdict = static_cast<Verdict>(index.data(OptionListModel::VerdictRole).toInt());
        QColor edge = p.color(QPalette::Midlight), fill = p.color(QPalette::Base);
        QString mark;
        switch (verdict) {
            case Verdict::Pending:
                if (r.button->isChecked())
                    edge = p.color(QPalette::Highlight);
                break;
            case Verdict::ChosenRight:
                edge = theme::rightColor(p);
                fill = theme::tint(p, edge);
                mark = QStringLiteral("✓ Your answer — correct");
                break;
            case Verdict::MissedRight:
                edge = theme::rightColor(p);
                fill = theme::tint(p, edge, 0.06);
                mark = QStringLiteral("✓ Correct answer — not chosen");
                break;
            case Verdict::ChosenWrong:
                edge = theme::wrongColor(p);
                fill = theme::tint(p, edge);
                mark = QStringLiteral("✗ Your answer — wrong");
                break;
            case Verdict::NotChosenWrong:
                mark = QStringLiteral("✗ Wrong");
                break;
        }
        const bool feedback = verdict != Verdict::Pending;
        r.frame->setStyleSheet(
            // Square left corners: Qt draws a thick left border under a radius as a bracket.
            QStringLiteral("QFrame#option { background: %1; border: 1px solid %2; border-left: 5px solid %2;"
                           " border-top-right-radius: 6px; border-bottom-right-radius: 6px; }")
                .arg(theme::cssColor(fill), theme::cssColor(edge)));
        r.mark->setText(mark);
        QPalette mp = r.mark->palette();
        mp.setColor(QPalette::WindowText, verdict == Verdict::NotChosenWrong ? theme::mutedTextColor(p)
                                          : verdict == Verdict::ChosenWrong  ? theme::wrongColor(p)
                                                                             : theme::rightColor(p));
        r.mark->setPalette(mp);
        r.mark->setVisible(feedback);
        const QString explanation = index.data(OptionListModel::ExplanationRole).toString();
        r.explanation->setText(safeTextToHtml(explanation.toStdString()));
        r.explanation->setVisible(feedback && !explanation.isEmpty());
    }
}

void QuestionPanel::updateHint() {
    if (m_model->hasFeedback()) {
        m_hint->setText(
            m_preview ? QStringLiteral("A preview of the feedback, from the content: nothing was recorded.")
                      : QStringLiteral("Press Enter to continue, Ctrl+Z to undo the answer."));
        return;
    }
    const int n = m_model->rowCount();
    const QString keys = n > 0 ? QStringLiteral("A–%1").arg(optionLetter(n - 1)) : QString();
    if (m_model->multipleResponse())
        m_hint->setText(QStringLiteral("%1 %2 of %3 chosen. Press %4 to choose, Enter to submit.")
                            .arg(chooseText(static_cast<uint32_t>(m_model->choose())))
                            .arg(m_model->chosenCount())
                            .arg(m_model->choose())
                            .arg(keys));
    else
        m_hint->setText(QStringLiteral("Choose one. Press %1 to choose, Enter to submit.").arg(keys));
    m_submit->setEnabled(m_model->canSubmit() && !m_submitting);
}

bool QuestionPanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::MouseButtonRelease) {
        for (size_t i = 0; i < m_rows.size(); ++i)
            if (watched == m_rows[i].text) {
                m_model->toggle(static_cast<int>(i));
                return true;
            }
    }
    return QWidget::eventFilter(watched, event);
}

void QuestionPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        syncRows();
    QWidget::changeEvent(event);
}

QString QuestionPanel::stemText() const {
    return m_stem->text();
}

QString QuestionPanel::verdictText() const {
    return m_feedback->isHidden() ? QString() : m_verdict->text();
}

QString QuestionPanel::explanationText() const {
    return m_feedback->isHidden() ? QString() : m_explanation->text();
}

QString QuestionPanel::referencesText() const {
    return m_feedback->isHidden() ? QString() : m_references->text();
}

QAbstractButton* QuestionPanel::optionButton(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].button
                                                             : nullptr;
}

QString QuestionPanel::optionMark(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].mark->text()
                                                             : QString();
}

QString QuestionPanel::optionExplanation(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size())
               ? m_rows[static_cast<size_t>(row)].explanation->text()
               : QString();
}

}  // namespace retain::desktop
