#pragma once
// An exam-style question: the stem, options as radio buttons (one answer) or check boxes (several,
// with "Choose N"), Submit (Enter), then feedback: each option marked right or wrong with its
// explanation, the general explanation and the references. Choices live in an OptionListModel.

#include <QWidget>
#include <vector>

#include "retain/v1/study.pb.h"

class QAbstractButton;
class QFrame;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace retain::desktop {

class OptionListModel;

class QuestionPanel : public QWidget {
    Q_OBJECT
public:
    explicit QuestionPanel(OptionListModel* model, QWidget* parent = nullptr);

    void showQuestion(const retain::v1::PresentedItem& item);
    // `preview`: feedback built from the content alone, outside a session (nothing to go on to).
    void showFeedback(const retain::v1::AnswerResponse& answer, bool preview = false);
    // Off while an answer is being recorded.
    void setSubmitting(bool submitting);
    OptionListModel* model() const { return m_model; }

    QString stemText() const;
    QString verdictText() const;
    QString explanationText() const;
    QString referencesText() const;
    // The option row's button (QRadioButton or QCheckBox) and feedback mark, for tests.
    QAbstractButton* optionButton(int row) const;
    QString optionMark(int row) const;
    QString optionExplanation(int row) const;

Q_SIGNALS:
    void submitClicked();
    void continueClicked();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        QFrame* frame = nullptr;
        QAbstractButton* button = nullptr;
        QLabel* text = nullptr;
        QLabel* mark = nullptr;
        QLabel* explanation = nullptr;
    };
    void rebuildRows();
    void syncRows();
    void updateHint();

    OptionListModel* m_model;
    QLabel* m_stem;
    QLabel* m_hint;
    QVBoxLayout* m_optionsLayout;
    std::vector<Row> m_rows;
    QFrame* m_feedback;
    QLabel* m_verdict;
    QLabel* m_explanation;
    QLabel* m_references;
    QPushButton* m_submit;
    QPushButton* m_continue;
    bool m_submitting = false;
    bool m_preview = false;
};

}  // namespace retain::desktop
