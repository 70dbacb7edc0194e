#pragma once
// Browse: search the exam's items by words and filter by domain, task statement, kind and state; the
// selected item's content, memory (state, stability, recall now, due date), history and forgetting
// curve beside the list; suspend or unsuspend it (S).

#include <QTimer>
#include <QWidget>

#include "desktop/app/daemon_session.h"

class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace retain::desktop {

class Banner;
class ItemSearchModel;

class BrowseView : public QWidget {
    Q_OBJECT
public:
    explicit BrowseView(DaemonSession* session, QWidget* parent = nullptr);

    // The domains and task statements for the filters.
    void setBlueprint(const retain::v1::Blueprint& blueprint);
    // Runs the search with the current filters (the first page).
    void refresh();
    // Suspends the selected item if it is not, unsuspends it if it is.
    void toggleSuspended();
    void selectRow(int row);

    ItemSearchModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QLineEdit* searchField() const { return m_search; }
    QComboBox* domainFilter() const { return m_domain; }
    QComboBox* taskFilter() const { return m_task; }
    QComboBox* kindFilter() const { return m_kind; }
    QComboBox* stateFilter() const { return m_state; }
    QPushButton* suspendButton() const { return m_suspend; }
    // The item shown in the detail pane (empty item id when none).
    const retain::v1::ItemDetail& detail() const { return m_detail; }
    QChartView* curveView() const { return m_curve; }
    QString historyText() const;
    QString countText() const;
    QString errorText() const;
    // True while a search or item request is in flight.
    bool isLoading() const { return m_loading > 0; }

Q_SIGNALS:
    void searched();
    void detailShown();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QWidget* buildDetail();
    void fillTasks();
    retain::v1::SearchItemsRequest request() const;
    void fetchPage(const QString& token);
    void fetchDetail(const std::string& itemId);
    void showDetail(const retain::v1::ItemDetail& detail);
    void fail(const rpc::RpcError& error, const QString& what);

    DaemonSession* m_session;
    ItemSearchModel* m_model;
    retain::v1::Blueprint m_blueprint;
    Banner* m_error;
    QLineEdit* m_search;
    QComboBox* m_domain;
    QComboBox* m_task;
    QComboBox* m_kind;
    QComboBox* m_state;
    QLabel* m_count;
    QTableView* m_table;
    QLabel* m_empty;
    QWidget* m_detailPane;
    QLabel* m_detailTitle;
    QLabel* m_content;
    QLabel* m_memory;
    QPushButton* m_suspend;
    QChartView* m_curve;
    QLabel* m_history;
    QTimer m_debounce;
    retain::v1::ItemDetail m_detail;
    quint64 m_searchGeneration = 0;
    int m_loading = 0;
};

}  // namespace retain::desktop
