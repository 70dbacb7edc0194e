#include "desktop/models/item_search_model.h"

#include "desktop/app/text_format.h"

namespace retain::desktop {

QString itemStateText(v1::ItemState state) {
    switch (state) {
        case v1::NEW:
            return QStringLiteral("New");
        case v1::LEARNING:
            return QStringLiteral("Learning");
        case v1::REVIEW:
            return QStringLiteral("Review");
        case v1::DUE:
            return QStringLiteral("Due");
        case v1::LEECH:
            return QStringLiteral("Leech");
        case v1::SUSPENDED:
            return QStringLiteral("Suspended");
        default:
            return QString();
    }
}

QString itemKindText(v1::ItemKind kind) {
    switch (kind) {
        case v1::FLASHCARD:
            return QStringLiteral("Flashcard");
        case v1::MULTIPLE_CHOICE:
            return QStringLiteral("Multiple choice");
        case v1::MULTIPLE_RESPONSE:
            return QStringLiteral("Multiple response");
        default:
            return QString();
    }
}

ItemSearchModel::ItemSearchModel(QObject* parent) : QAbstractTableModel(parent) {}

void ItemSearchModel::setFirstPage(const v1::SearchItemsResponse& page) {
    beginResetModel();
    m_items.assign(page.items().begin(), page.items().end());
    m_next = page.next_page_token();
    m_total = page.total();
    m_fetching = false;
    endResetModel();
}

void ItemSearchModel::appendPage(const v1::SearchItemsResponse& page) {
    m_fetching = false;
    m_next = page.next_page_token();
    m_total = page.total();
    if (page.items().empty())
        return;
    const int first = rowCount();
    beginInsertRows(QModelIndex(), first, first + page.items_size() - 1);
    m_items.insert(m_items.end(), page.items().begin(), page.items().end());
    endInsertRows();
}

void ItemSearchModel::updateItem(const std::string& itemId, const v1::ItemMemory& memory) {
    const int row = rowOf(itemId);
    if (row < 0)
        return;
    *m_items[static_cast<size_t>(row)].mutable_memory() = memory;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ItemSearchModel::clear() {
    beginResetModel();
    m_items.clear();
    m_next.clear();
    m_total = 0;
    m_fetching = false;
    endResetModel();
}

const v1::ItemSummary* ItemSearchModel::item(int row) const {
    return row >= 0 && row < rowCount() ? &m_items[static_cast<size_t>(row)] : nullptr;
}

int ItemSearchModel::rowOf(const std::string& itemId) const {
    for (size_t i = 0; i < m_items.size(); ++i)
        if (m_items[i].id() == itemId)
            return static_cast<int>(i);
    return -1;
}

int ItemSearchModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int ItemSearchModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ItemSearchModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::ItemSummary& s = m_items[static_cast<size_t>(index.row())];
    switch (role) {
        case ItemIdRole:
            return QString::fromStdString(s.id());
        case StateRole:
            return static_cast<int>(s.memory().state());
        case SuspendedRole:
            return s.memory().state() == v1::SUSPENDED;
        case Qt::ToolTipRole:
            if (index.column() == PromptColumn || index.column() == IdColumn)
                return QString::fromStdString(s.prompt_preview());
            return {};
        case Qt::DisplayRole:
            break;
        default:
            return {};
    }
    switch (index.column()) {
        case IdColumn:
            return QString::fromStdString(s.id());
        case TaskColumn:
            return QString::fromStdString(s.task_statement());
        case KindColumn:
            return itemKindText(s.kind());
        case StateColumn:
            return itemStateText(s.memory().state());
        case DueColumn:
            return QString::fromStdString(s.memory().due_date());
        case PromptColumn:
            return plainLine(s.prompt_preview());
        default:
            return {};
    }
}

QVariant ItemSearchModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case IdColumn:
            return QStringLiteral("Item");
        case TaskColumn:
            return QStringLiteral("Task");
        case KindColumn:
            return QStringLiteral("Kind");
        case StateColumn:
            return QStringLiteral("State");
        case DueColumn:
            return QStringLiteral("Due");
        case PromptColumn:
            return QStringLiteral("Prompt");
        default:
            return {};
    }
}

bool ItemSearchModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_next.empty() && !m_fetching;
}

void ItemSearchModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT morePageWanted(QString::fromStdString(m_next));
}

}  // namespace retain::desktop
