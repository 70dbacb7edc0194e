#pragma once
// A submitted mock's score report, like the real one: scaled score against the pass mark, pass or
// fail, a bar per domain with "meets competencies" or "needs improvement", and a review of every
// answer (the learner's choice, the correct options, each option's explanation). Enter: done.

#include <QWidget>

#include "retain/v1/content.pb.h"
#include "retain/v1/mock_exam.pb.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;
class QVBoxLayout;

namespace retain::desktop {

class MockReviewModel;
class StatTile;

class MockReportView : public QWidget {
    Q_OBJECT
public:
    explicit MockReportView(QWidget* parent = nullptr);

    void setReport(const retain::v1::MockReport& report, const retain::v1::Blueprint& blueprint);
    const retain::v1::MockReport& report() const { return m_report; }
    MockReviewModel* reviewModel() const { return m_model; }
    QTableView* reviewTable() const { return m_table; }
    StatTile* scoreTile() const { return m_score; }
    StatTile* resultTile() const { return m_result; }
    // The domain rows as "name: meets|needs improvement (c/t)".
    QStringList domainTexts() const;
    // The answer review of the selected question (HTML).
    QString reviewText() const;
    // Selects the review of row `row` of the table.
    void selectReview(int row);

Q_SIGNALS:
    void doneClicked();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void showSelected();

    retain::v1::MockReport m_report;
    MockReviewModel* m_model;
    QLabel* m_title;
    QLabel* m_note;
    StatTile* m_score;
    StatTile* m_result;
    StatTile* m_correct;
    QVBoxLayout* m_domains;
    QStringList m_domainTexts;
    QCheckBox* m_wrongOnly;
    QTableView* m_table;
    QLabel* m_detail;
    QPushButton* m_done;
    QSplitter* m_split = nullptr;
};

}  // namespace retain::desktop
