#include "desktop/models/mastery_change_model.h"

#include <QLocale>
#include <cmath>

namespace retain::desktop {

namespace {
QString percent(double p) {
    return QStringLiteral("%1 %").arg(std::lround(p * 100.0));
}
}  // namespace

MasteryChangeModel::MasteryChangeModel(QObject* parent) : QAbstractTableModel(parent) {}

void MasteryChangeModel::setSummary(const v1::SessionSummary& summary, const TitleLookup& titles) {
    beginResetModel();
    m_rows.clear();
    for (const auto& c : summary.mastery_changes()) {
        Row r;
        r.id = QString::fromStdString(c.task_statement());
        r.title = titles ? titles(c.task_statement()) : QString();
        r.before = c.before();
        r.after = c.after();
        m_rows.push_back(std::move(r));
    }
    endResetModel();
}

void MasteryChangeModel::setChangeColors(const QColor& gain, const QColor& loss) {
    m_gain = gain;
    m_loss = loss;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, ChangeColumn), index(rowCount() - 1, ChangeColumn), {Qt::ForegroundRole});
}

int MasteryChangeModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int MasteryChangeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MasteryChangeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    const double change = r.after - r.before;
    const long points = std::lround(change * 100.0);
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case TaskStatementColumn:
                    return r.title.isEmpty() ? r.id : r.id + QStringLiteral("  ") + r.title;
                case BeforeColumn:
                    return percent(r.before);
                case AfterColumn:
                    return percent(r.after);
                case ChangeColumn:
                    return points == 0 ? QStringLiteral("±0")
                                       : QStringLiteral("%1%2")
                                             .arg(points > 0 ? QStringLiteral("+") : QStringLiteral("−"))
                                             .arg(std::labs(points));
                default:
                    return {};
            }
        case Qt::UserRole:
            switch (index.column()) {
                case TaskStatementColumn:
                    return r.id;
                case BeforeColumn:
                    return r.before;
                case AfterColumn:
                    return r.after;
                case ChangeColumn:
                    return change;
                default:
                    return {};
            }
        case Qt::TextAlignmentRole:
            return index.column() == TaskStatementColumn
                       ? QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter))
                       : QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        case Qt::ForegroundRole:
            if (index.column() == ChangeColumn && points != 0) {
                const QColor& c = points > 0 ? m_gain : m_loss;
                if (c.isValid())
                    return c;
            }
            return {};
        case Qt::ToolTipRole:
            return QStringLiteral(
                       "Estimated chance of answering an unseen exam question on %1 correctly: "
                       "%2 before this session, %3 after.")
                .arg(r.id, percent(r.before), percent(r.after));
        default:
            return {};
    }
}

QVariant MasteryChangeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case TaskStatementColumn:
            return QStringLiteral("Task statement");
        case BeforeColumn:
            return QStringLiteral("Before");
        case AfterColumn:
            return QStringLiteral("After");
        case ChangeColumn:
            return QStringLiteral("Change (points)");
        default:
            return {};
    }
}

}  // namespace retain::desktop
