#include "desktop/models/option_list_model.h"

#include <algorithm>

#include "desktop/app/text_format.h"

namespace retain::desktop {

OptionListModel::OptionListModel(QObject* parent) : QAbstractListModel(parent) {}

void OptionListModel::setQuestion(const v1::PresentedItem& item) {
    beginResetModel();
    m_options.clear();
    for (int i = 0; i < item.options_size(); ++i) {
        Option o;
        o.text = QString::fromStdString(item.options(i));
        o.contentIndex = i < item.option_index_size() ? item.option_index(i) : static_cast<uint32_t>(i);
        m_options.push_back(std::move(o));
    }
    m_multiple = item.kind() == v1::MULTIPLE_RESPONSE;
    m_choose = m_multiple ? std::max<int>(2, static_cast<int>(item.choose())) : 1;
    m_feedback = false;
    endResetModel();
    Q_EMIT choiceChanged();
}

void OptionListModel::clear() {
    beginResetModel();
    m_options.clear();
    m_multiple = false;
    m_choose = 1;
    m_feedback = false;
    endResetModel();
    Q_EMIT choiceChanged();
}

void OptionListModel::toggle(int row) {
    if (m_feedback || row < 0 || row >= static_cast<int>(m_options.size()))
        return;
    if (m_multiple) {
        m_options[static_cast<size_t>(row)].chosen = !m_options[static_cast<size_t>(row)].chosen;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i);
    } else {
        for (size_t r = 0; r < m_options.size(); ++r)
            m_options[r].chosen = static_cast<int>(r) == row;
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_options.size()) - 1));
    }
    Q_EMIT choiceChanged();
}

int OptionListModel::chosenCount() const {
    return static_cast<int>(
        std::count_if(m_options.begin(), m_options.end(), [](const Option& o) { return o.chosen; }));
}

bool OptionListModel::canSubmit() const {
    return !m_feedback && !m_options.empty() && chosenCount() == m_choose;
}

std::vector<uint32_t> OptionListModel::chosenContentIndexes() const {
    std::vector<uint32_t> out;
    for (const auto& o : m_options)
        if (o.chosen)
            out.push_back(o.contentIndex);
    return out;
}

void OptionListModel::setFeedback(const v1::AnswerResponse& answer) {
    for (auto& o : m_options) {
        o.correct = std::find(answer.correct_options().begin(), answer.correct_options().end(),
                              o.contentIndex) != answer.correct_options().end();
        o.explanation =
            static_cast<int>(o.contentIndex) < answer.option_explanations_size()
                ? QString::fromStdString(answer.option_explanations(static_cast<int>(o.contentIndex)))
                : QString();
    }
    m_feedback = true;
    if (!m_options.empty())
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_options.size()) - 1));
    Q_EMIT choiceChanged();
}

QList<int> OptionListModel::correctRows() const {
    QList<int> rows;
    if (!m_feedback)
        return rows;
    for (size_t r = 0; r < m_options.size(); ++r)
        if (m_options[r].correct)
            rows << static_cast<int>(r);
    return rows;
}

OptionListModel::Verdict OptionListModel::verdict(const Option& o) const {
    if (!m_feedback)
        return Verdict::Pending;
    if (o.correct)
        return o.chosen ? Verdict::ChosenRight : Verdict::MissedRight;
    return o.chosen ? Verdict::ChosenWrong : Verdict::NotChosenWrong;
}

int OptionListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_options.size());
}

QVariant OptionListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Option& o = m_options[static_cast<size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return o.text;
        case Qt::CheckStateRole:
            return o.chosen ? Qt::Checked : Qt::Unchecked;
        case Qt::ToolTipRole:
            return m_feedback ? o.explanation : QVariant();
        case LetterRole:
            return optionLetter(index.row());
        case ContentIndexRole:
            return o.contentIndex;
        case ChosenRole:
            return o.chosen;
        case CorrectRole:
            return m_feedback ? QVariant(o.correct) : QVariant();
        case ExplanationRole:
            return m_feedback ? QVariant(o.explanation) : QVariant();
        case VerdictRole:
            return static_cast<int>(verdict(o));
        default:
            return {};
    }
}

bool OptionListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::CheckStateRole || m_feedback ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const bool want = value.value<Qt::CheckState>() == Qt::Checked;
    if (want != m_options[static_cast<size_t>(index.row())].chosen)
        toggle(index.row());
    return true;
}

Qt::ItemFlags OptionListModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (!m_feedback)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QHash<int, QByteArray> OptionListModel::roleNames() const {
    auto names = QAbstractListModel::roleNames();
    names[LetterRole] = "letter";
    names[ContentIndexRole] = "contentIndex";
    names[ChosenRole] = "chosen";
    names[CorrectRole] = "correct";
    names[ExplanationRole] = "explanation";
    names[VerdictRole] = "verdict";
    return names;
}

}  // namespace retain::desktop
