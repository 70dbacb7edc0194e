#pragma once
// The mock report's answer review: one row per question with whether it was right, scored, flagged,
// and its stem; the view shows the selected question's options and explanations beside it.

#include <QAbstractTableModel>
#include <QColor>

#include "retain/v1/mock_exam.pb.h"

namespace retain::desktop {

class MockReviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NumberColumn, ResultColumn, TopicColumn, PromptColumn, ColumnCount };
    enum Role { CorrectRole = Qt::UserRole + 1, ScoredRole, FlaggedRole, AnsweredRole };

    explicit MockReviewModel(QObject* parent = nullptr);

    void setReport(const retain::v1::MockReport& report);
    // Only the questions answered wrongly (or left unanswered), or every question.
    void setWrongOnly(bool wrongOnly);
    bool wrongOnly() const { return m_wrongOnly; }
    void setColors(const QColor& right, const QColor& wrong);
    // The review of a row (nullptr outside the rows).
    const retain::v1::MockReport::QuestionReview* review(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rebuildRows();

    retain::v1::MockReport m_report;
    std::vector<int> m_rows;  // indexes into m_report.review()
    bool m_wrongOnly = false;
    QColor m_right, m_wrong;
};

// The answer review of one question as HTML: the stem, each option marked as chosen and right or
// wrong with its explanation, then the general explanation and references.
QString reviewHtml(const retain::v1::MockReport::QuestionReview& review, const QColor& right,
                   const QColor& wrong);

}  // namespace retain::desktop
