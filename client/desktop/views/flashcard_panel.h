#pragma once
// A flashcard: the front; Space reveals the back; four grade buttons, each showing the interval that
// grade would give. Input arrives as signals; the review view decides what they mean.

#include <QWidget>
#include <array>

#include "retain/v1/content_service.pb.h"
#include "retain/v1/study.pb.h"

class QLabel;
class QPushButton;
class QFrame;

namespace retain::desktop {

class FlashcardPanel : public QWidget {
    Q_OBJECT
public:
    explicit FlashcardPanel(QWidget* parent = nullptr);

    // A new card, front only. `intervalDays`: AGAIN, HARD, GOOD, EASY (may be empty for a preview).
    void showCard(const retain::v1::PresentedItem& item, const std::vector<uint32_t>& intervalDays);
    // The back, from the item's full content; ignored unless it is the card shown.
    void setBack(const retain::v1::ItemDetail& detail);
    bool hasBack() const { return m_hasBack; }
    void reveal();
    bool isRevealed() const { return m_revealed; }
    // Off while an answer is being recorded.
    void setGradingEnabled(bool enabled);

    QString frontText() const;
    QString backText() const;
    QPushButton* gradeButton(int rating) const;  // 1-4

Q_SIGNALS:
    void revealClicked();
    void gradeClicked(int rating);

private:
    void updateGradeButtons();

    QLabel* m_front;
    QFrame* m_divider;
    QLabel* m_back;
    QLabel* m_explanation;
    QLabel* m_references;
    QPushButton* m_reveal;
    QWidget* m_gradeRow;
    std::array<QPushButton*, 4> m_grades{};
    std::string m_itemId;
    std::vector<uint32_t> m_intervals;
    bool m_hasBack = false;
    bool m_revealed = false;
};

// "See: <a>title</a> · citation" for a list of references; "" when there are none.
// "See: ..." links; with `asOf`, the date the item's claims about a service's availability were checked.
QString referencesHtml(const google::protobuf::RepeatedPtrField<retain::v1::Reference>& references,
                       const std::string& asOf = {});

}  // namespace retain::desktop
