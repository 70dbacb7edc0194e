#include "desktop/models/mock_review_model.h"

#include <QUrl>

#include "desktop/app/text_format.h"

namespace retain::desktop {

MockReviewModel::MockReviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void MockReviewModel::setReport(const v1::MockReport& report) {
    beginResetModel();
    m_report = report;
    rebuildRows();
    endResetModel();
}

void MockReviewModel::setWrongOnly(bool wrongOnly) {
    if (wrongOnly == m_wrongOnly)
        return;
    beginResetModel();
    m_wrongOnly = wrongOnly;
    rebuildRows();
    endResetModel();
}

void MockReviewModel::rebuildRows() {
    m_rows.clear();
    for (int i = 0; i < m_report.review_size(); ++i)
        if (!m_wrongOnly || !m_report.review(i).correct())
            m_rows.push_back(i);
}

void MockReviewModel::setColors(const QColor& right, const QColor& wrong) {
    m_right = right;
    m_wrong = wrong;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, ResultColumn), index(rowCount() - 1, ResultColumn), {Qt::ForegroundRole});
}

const v1::MockReport::QuestionReview* MockReviewModel::review(int row) const {
    if (row < 0 || row >= rowCount())
        return nullptr;
    return &m_report.review(m_rows[static_cast<size_t>(row)]);
}

int MockReviewModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int MockReviewModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MockReviewModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& r = *review(index.row());
    switch (role) {
        case CorrectRole:
            return r.correct();
        case ScoredRole:
            return r.scored();
        case FlaggedRole:
            return r.flagged();
        case AnsweredRole:
            return !r.chosen_options().empty();
        case Qt::ForegroundRole:
            if (index.column() == ResultColumn && m_right.isValid())
                return r.correct() ? m_right : m_wrong;
            return {};
        case Qt::ToolTipRole:
            if (index.column() == ResultColumn)
                return r.scored() ? QStringLiteral("Scored")
                                  : QStringLiteral("Unscored (pretest), as on the exam");
            return {};
        case Qt::DisplayRole:
            break;
        default:
            return {};
    }
    switch (index.column()) {
        case NumberColumn:
            return r.flagged() ? QStringLiteral("%1 ⚑").arg(r.number()) : QString::number(r.number());
        case ResultColumn:
            if (r.chosen_options().empty())
                return QStringLiteral("✗ unanswered");
            return r.correct() ? QStringLiteral("✓ right") : QStringLiteral("✗ wrong");
        case TopicColumn:
            return QString::fromStdString(r.item().task_statement());
        case PromptColumn:
            return plainLine(r.item().prompt(), 140);
        default:
            return {};
    }
}

QVariant MockReviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case NumberColumn:
            return QStringLiteral("#");
        case ResultColumn:
            return QStringLiteral("Result");
        case TopicColumn:
            return QStringLiteral("Task");
        case PromptColumn:
            return QStringLiteral("Question");
        default:
            return {};
    }
}

QString reviewHtml(const v1::MockReport::QuestionReview& r, const QColor& right, const QColor& wrong) {
    const v1::Item& item = r.item();
    QString html = QStringLiteral("<p><b>Question %1</b> · task statement %2%3%4</p>")
                       .arg(r.number())
                       .arg(QString::fromStdString(item.task_statement()).toHtmlEscaped())
                       .arg(r.scored() ? QString() : QStringLiteral(" · unscored"))
                       .arg(r.flagged() ? QStringLiteral(" · flagged") : QString());
    html += QStringLiteral("<p>%1</p>").arg(safeTextToHtml(item.prompt()));
    if (r.chosen_options().empty())
        html += QStringLiteral("<p style='color:%1'><b>Not answered</b> — counted as wrong.</p>")
                    .arg(wrong.name());
    // In the order they were shown (recorded with the mock), lettered as they were.
    for (int i = 0; i < item.options_size(); ++i) {
        const int idx = i < r.option_order_size() ? static_cast<int>(r.option_order(i)) : i;
        if (idx >= item.options_size())
            continue;
        const auto& o = item.options(idx);
        const bool chosen = std::find(r.chosen_options().begin(), r.chosen_options().end(),
                                      static_cast<uint32_t>(idx)) != r.chosen_options().end();
        QString mark;
        if (o.correct())
            mark = QStringLiteral("<span style='color:%1'><b>✓ correct%2</b></span>")
                       .arg(right.name(), chosen ? QStringLiteral(" · your choice") : QString());
        else if (chosen)
            mark = QStringLiteral("<span style='color:%1'><b>✗ your choice</b></span>").arg(wrong.name());
        html += QStringLiteral("<p><b>%1.</b> %2%3<br/><i>%4</i></p>")
                    .arg(optionLetter(i), safeTextToHtml(o.text()),
                         mark.isEmpty() ? QString() : QStringLiteral("<br/>") + mark,
                         safeTextToHtml(o.explanation()));
    }
    if (!item.explanation().empty())
        html += QStringLiteral("<p><b>Why:</b> %1</p>").arg(safeTextToHtml(item.explanation()));
    if (!item.as_of().empty())
        html += QStringLiteral("<p><i>Service availability checked against the documentation on %1.</i></p>")
                    .arg(QString::fromStdString(item.as_of()).toHtmlEscaped());
    if (!item.references().empty()) {
        QStringList refs;
        for (const auto& ref : item.references()) {
            const QString title = QString::fromStdString(ref.title().empty() ? ref.citation() : ref.title());
            refs << (ref.url().empty()
                         ? title.toHtmlEscaped()
                         : QStringLiteral("<a href='%1'>%2</a>")
                               .arg(QUrl(QString::fromStdString(ref.url())).toString(QUrl::FullyEncoded),
                                    title.toHtmlEscaped()));
        }
        html += QStringLiteral("<p><b>References:</b> %1</p>").arg(refs.join(QStringLiteral(" · ")));
    }
    return html;
}

}  // namespace retain::desktop
