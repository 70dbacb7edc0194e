#include "core/content_pack.h"

#include <algorithm>

namespace retain::core {

Exam::Exam(v1::Blueprint blueprint) : m_blueprint(std::move(blueprint)) {
    for (const auto& domain : m_blueprint.domains()) {
        for (const auto& statement : domain.task_statements()) {
            m_statementIndex.emplace(statement.id(), m_statements.size());
            m_statements.push_back({&statement, &domain, static_cast<int>(m_statements.size())});
        }
    }
    m_itemsByStatement.resize(m_statements.size());
    m_reserveByStatement.resize(m_statements.size());
}

const TaskStatementRef* Exam::taskStatement(std::string_view id) const {
    auto it = m_statementIndex.find(std::string(id));
    return it == m_statementIndex.end() ? nullptr : &m_statements[it->second];
}

const v1::Domain* Exam::domain(std::string_view id) const {
    for (const auto& d : m_blueprint.domains())
        if (d.id() == id)
            return &d;
    return nullptr;
}

ContentPack ContentPack::build(std::vector<v1::Blueprint> blueprints, std::vector<v1::Item> items,
                               const std::vector<std::string>& itemExams) {
    ContentPack pack;
    std::sort(blueprints.begin(), blueprints.end(),
              [](const auto& a, const auto& b) { return a.code() < b.code(); });
    for (auto& b : blueprints)
        pack.m_exams.push_back(std::make_unique<Exam>(std::move(b)));
    pack.m_items = std::move(items);
    pack.m_refs.resize(pack.m_items.size());
    for (size_t i = 0; i < pack.m_items.size(); ++i) {
        auto* exam = const_cast<Exam*>(pack.exam(itemExams[i]));
        ItemRef ref{&pack.m_items[i], exam, nullptr, i};
        if (exam) {
            ref.statement = exam->taskStatement(pack.m_items[i].task_statement());
            const bool reserve = pack.m_items[i].mock_reserve();
            (reserve ? exam->m_reserve : exam->m_items).push_back(i);
            if (ref.statement)
                (reserve ? exam->m_reserveByStatement : exam->m_itemsByStatement)[ref.statement->index]
                    .push_back(i);
        }
        pack.m_refs[i] = ref;
        pack.m_itemIndex.emplace(pack.m_items[i].id(), i);
    }
    return pack;
}

const Exam* ContentPack::exam(std::string_view code) const {
    for (const auto& e : m_exams)
        if (e->code() == code)
            return e.get();
    return nullptr;
}

const ItemRef* ContentPack::item(std::string_view id) const {
    auto it = m_itemIndex.find(std::string(id));
    return it == m_itemIndex.end() ? nullptr : &m_refs[it->second];
}

int correctCount(const v1::Item& item) {
    return static_cast<int>(std::count_if(item.options().begin(), item.options().end(),
                                          [](const auto& o) { return o.correct(); }));
}

}  // namespace retain::core
