#pragma once
// The session summary's change in mastery per task statement touched: a table of task statement,
// mastery before, after, and the change. Raw values are in Qt::UserRole for sorting and charts.

#include <QAbstractTableModel>
#include <QColor>
#include <functional>
#include <vector>

#include "retain/v1/study.pb.h"

namespace retain::desktop {

class MasteryChangeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TaskStatementColumn, BeforeColumn, AfterColumn, ChangeColumn, ColumnCount };
    using TitleLookup = std::function<QString(const std::string& taskStatement)>;

    explicit MasteryChangeModel(QObject* parent = nullptr);

    void setSummary(const retain::v1::SessionSummary& summary, const TitleLookup& titles = {});
    // Colours of gains and losses in the change column (the view picks them to suit its palette).
    void setChangeColors(const QColor& gain, const QColor& loss);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString id, title;
        double before = 0, after = 0;
    };
    std::vector<Row> m_rows;
    QColor m_gain, m_loss;
};

}  // namespace retain::desktop
