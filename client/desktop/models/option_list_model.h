#pragma once
// The options of the question being answered: their text, what the learner chose, and after the
// answer which were right, with each option's explanation. The question view renders it as radio
// buttons (one answer) or check boxes (several); the keyboard and the mouse both go through toggle().

#include <QAbstractListModel>
#include <vector>

#include "retain/v1/study.pb.h"

namespace retain::desktop {

class OptionListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        LetterRole = Qt::UserRole + 1,  // "A"
        ContentIndexRole,               // index of the option in content order (what Answer takes)
        ChosenRole,                     // bool
        CorrectRole,                    // bool, after feedback only (else invalid)
        ExplanationRole,                // after feedback only
        VerdictRole,                    // Verdict, as int
    };
    // How an option came out, once the answer is known.
    enum class Verdict { Pending, ChosenRight, MissedRight, ChosenWrong, NotChosenWrong };
    Q_ENUM(Verdict)

    explicit OptionListModel(QObject* parent = nullptr);

    void setQuestion(const retain::v1::PresentedItem& item);
    void clear();
    // Multiple response: several answers (check boxes); else one (radio buttons).
    bool multipleResponse() const { return m_multiple; }
    // Options to choose: 1 for multiple choice.
    int choose() const { return m_choose; }
    // Multiple choice: selects `row` alone; multiple response: flips it. Ignored after feedback.
    void toggle(int row);
    int chosenCount() const;
    // True when exactly `choose()` options are chosen and the answer is not known yet.
    bool canSubmit() const;
    // Content-order indexes of the chosen options (AnswerRequest.chosen_options).
    std::vector<uint32_t> chosenContentIndexes() const;
    void setFeedback(const retain::v1::AnswerResponse& answer);
    bool hasFeedback() const { return m_feedback; }
    // Rows of the correct options (after feedback).
    QList<int> correctRows() const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void choiceChanged();

private:
    struct Option {
        QString text;
        uint32_t contentIndex = 0;
        bool chosen = false;
        bool correct = false;
        QString explanation;
    };
    Verdict verdict(const Option& o) const;

    std::vector<Option> m_options;
    bool m_multiple = false;
    int m_choose = 1;
    bool m_feedback = false;
};

}  // namespace retain::desktop
