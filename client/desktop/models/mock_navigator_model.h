#pragma once
// The mock exam's question navigator: one row per question with its answered and flagged state and
// whether it is the question on screen. The view paints each as a numbered square.

#include <QAbstractListModel>
#include <vector>

#include "retain/v1/mock_exam.pb.h"

namespace retain::desktop {

class MockNavigatorModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        NumberRole = Qt::UserRole + 1,  // 1-based question number
        AnsweredRole,                   // bool
        FlaggedRole,                    // bool
        CurrentRole,                    // bool
    };

    explicit MockNavigatorModel(QObject* parent = nullptr);

    // Replaces every row from the daemon's view of the mock (resets when the form changes).
    void setMock(const retain::v1::MockExam& mock);
    void setAnswered(int row, bool answered);
    void setFlagged(int row, bool flagged);
    void setCurrent(int row);
    int current() const { return m_current; }
    void clear();

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row {
        bool answered = false;
        bool flagged = false;
    };
    void changed(int row);

    std::vector<Row> m_rows;
    std::string m_mockId;
    int m_current = -1;
};

}  // namespace retain::desktop
