#pragma once
// Browse's result list: one row per item found by ContentService.SearchItems, with the learner's
// state of it. Pages append as the view scrolls to the end (fetchMore asks for the next one).

#include <QAbstractTableModel>
#include <vector>

#include "retain/v1/content_service.pb.h"

namespace retain::desktop {

class ItemSearchModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, TaskColumn, KindColumn, StateColumn, DueColumn, PromptColumn, ColumnCount };
    enum Role { ItemIdRole = Qt::UserRole + 1, StateRole, SuspendedRole };

    explicit ItemSearchModel(QObject* parent = nullptr);

    // A new search's first page (replaces every row), or the next page of the same search.
    void setFirstPage(const retain::v1::SearchItemsResponse& page);
    void appendPage(const retain::v1::SearchItemsResponse& page);
    // One row changed (after suspend or unsuspend).
    void updateItem(const std::string& itemId, const retain::v1::ItemMemory& memory);
    void clear();
    const retain::v1::ItemSummary* item(int row) const;
    int rowOf(const std::string& itemId) const;
    uint32_t total() const { return m_total; }
    const std::string& nextPageToken() const { return m_next; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    // The view scrolled to the end and there is another page: the owner fetches it.
    void morePageWanted(const QString& pageToken);

private:
    std::vector<retain::v1::ItemSummary> m_items;
    std::string m_next;
    uint32_t m_total = 0;
    bool m_fetching = false;
};

// "New", "Learning", "Due", ...
QString itemStateText(retain::v1::ItemState state);
// "Flashcard", "Multiple choice", "Multiple response".
QString itemKindText(retain::v1::ItemKind kind);

}  // namespace retain::desktop
