#pragma once
// The end of a session: how many, how well, how long, the grade mix, and what changed in mastery per
// task statement. Enter goes back to Today.

#include <QWidget>

#include "desktop/models/mastery_change_model.h"
#include "retain/v1/study.pb.h"

class QLabel;
class QPushButton;
class QTableView;

namespace retain::desktop {

class StatTile;
class GradeBar;

class SummaryView : public QWidget {
    Q_OBJECT
public:
    explicit SummaryView(QWidget* parent = nullptr);

    void setSummary(const retain::v1::SessionSummary& summary, const QString& reason,
                    const MasteryChangeModel::TitleLookup& titles = {});
    MasteryChangeModel* masteryModel() const { return m_model; }
    StatTile* answeredTile() const { return m_answered; }
    StatTile* correctTile() const { return m_correct; }
    StatTile* newTile() const { return m_new; }
    StatTile* timeTile() const { return m_time; }
    QString gradesText() const;

Q_SIGNALS:
    void doneClicked();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateColors();

    MasteryChangeModel* m_model;
    QLabel* m_title;
    QLabel* m_reason;
    StatTile* m_answered;
    StatTile* m_correct;
    StatTile* m_new;
    StatTile* m_time;
    QLabel* m_gradesTitle;
    GradeBar* m_bar;
    QLabel* m_legend;
    QLabel* m_masteryTitle;
    QTableView* m_table;
    QLabel* m_empty;
    QPushButton* m_done;
};

}  // namespace retain::desktop
