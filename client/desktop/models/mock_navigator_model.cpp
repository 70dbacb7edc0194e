#include "desktop/models/mock_navigator_model.h"

namespace retain::desktop {

MockNavigatorModel::MockNavigatorModel(QObject* parent) : QAbstractListModel(parent) {}

void MockNavigatorModel::setMock(const v1::MockExam& mock) {
    const bool same = mock.id() == m_mockId && static_cast<int>(m_rows.size()) == mock.questions_size();
    if (!same) {
        beginResetModel();
        m_mockId = mock.id();
        m_rows.assign(static_cast<size_t>(mock.questions_size()), Row{});
        m_current = m_rows.empty() ? -1 : std::clamp(m_current, 0, static_cast<int>(m_rows.size()) - 1);
    }
    for (int i = 0; i < mock.questions_size(); ++i) {
        const auto& q = mock.questions(i);
        Row& r = m_rows[static_cast<size_t>(i)];
        const Row before = r;
        r.answered = !q.chosen_options().empty();
        r.flagged = q.flagged();
        if (same && (before.answered != r.answered || before.flagged != r.flagged))
            changed(i);
    }
    if (!same)
        endResetModel();
}

void MockNavigatorModel::setAnswered(int row, bool answered) {
    if (row < 0 || row >= rowCount() || m_rows[static_cast<size_t>(row)].answered == answered)
        return;
    m_rows[static_cast<size_t>(row)].answered = answered;
    changed(row);
}

void MockNavigatorModel::setFlagged(int row, bool flagged) {
    if (row < 0 || row >= rowCount() || m_rows[static_cast<size_t>(row)].flagged == flagged)
        return;
    m_rows[static_cast<size_t>(row)].flagged = flagged;
    changed(row);
}

void MockNavigatorModel::setCurrent(int row) {
    if (row < 0 || row >= rowCount() || row == m_current)
        return;
    const int before = m_current;
    m_current = row;
    if (before >= 0 && before < rowCount())
        changed(before);
    changed(row);
}

void MockNavigatorModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_mockId.clear();
    m_current = -1;
    endResetModel();
}

void MockNavigatorModel::changed(int row) {
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i);
}

int MockNavigatorModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant MockNavigatorModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return QString::number(index.row() + 1);
        case Qt::ToolTipRole:
            return QStringLiteral("Question %1: %2%3")
                .arg(index.row() + 1)
                .arg(r.answered ? QStringLiteral("answered") : QStringLiteral("not answered"))
                .arg(r.flagged ? QStringLiteral(", flagged for review") : QString());
        case Qt::AccessibleTextRole:
            return data(index, Qt::ToolTipRole);
        case NumberRole:
            return index.row() + 1;
        case AnsweredRole:
            return r.answered;
        case FlaggedRole:
            return r.flagged;
        case CurrentRole:
            return index.row() == m_current;
        default:
            return {};
    }
}

QHash<int, QByteArray> MockNavigatorModel::roleNames() const {
    auto names = QAbstractListModel::roleNames();
    names[NumberRole] = "number";
    names[AnsweredRole] = "answered";
    names[FlaggedRole] = "flagged";
    names[CurrentRole] = "current";
    return names;
}

}  // namespace retain::desktop
