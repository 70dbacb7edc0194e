#pragma once
// The loaded content: blueprints and items, with the indexes the engine needs. Immutable once built;
// a reload builds a new pack and swaps it in whole.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "retain/v1/content.pb.h"

namespace retain::core {

namespace v1 = ::retain::v1;

// A task statement with its place in the blueprint.
struct TaskStatementRef {
    const v1::TaskStatement* statement = nullptr;
    const v1::Domain* domain = nullptr;
    int index = 0;  // position among the blueprint's task statements (0..n-1)
};

// One exam's blueprint with lookups.
class Exam {
public:
    explicit Exam(v1::Blueprint blueprint);
    const v1::Blueprint& blueprint() const { return m_blueprint; }
    const std::string& code() const { return m_blueprint.code(); }
    const TaskStatementRef* taskStatement(std::string_view id) const;
    const v1::Domain* domain(std::string_view id) const;
    const std::vector<TaskStatementRef>& taskStatements() const { return m_statements; }
    // Study items: indexes (into ContentPack::items()) per task statement, in content order. The mock
    // reserve is not among them: everything that plans, counts or lists study uses these.
    const std::vector<size_t>& itemsOf(int taskStatementIndex) const {
        return m_itemsByStatement[taskStatementIndex];
    }
    const std::vector<size_t>& items() const { return m_items; }
    // The mock reserve (questions with mock_reserve set), per task statement and whole: only mock exams
    // draw from it.
    const std::vector<size_t>& reserveOf(int taskStatementIndex) const {
        return m_reserveByStatement[taskStatementIndex];
    }
    const std::vector<size_t>& reserve() const { return m_reserve; }

private:
    friend class ContentPack;
    v1::Blueprint m_blueprint;
    std::vector<TaskStatementRef> m_statements;
    std::unordered_map<std::string, size_t> m_statementIndex;
    std::vector<std::vector<size_t>> m_itemsByStatement;
    std::vector<size_t> m_items;
    std::vector<std::vector<size_t>> m_reserveByStatement;
    std::vector<size_t> m_reserve;
};

// An item with the exam and task statement it belongs to.
struct ItemRef {
    const v1::Item* item = nullptr;
    const Exam* exam = nullptr;
    const TaskStatementRef* statement = nullptr;
    size_t index = 0;  // position in ContentPack::items()
};

class ContentPack {
public:
    ContentPack() = default;
    ContentPack(const ContentPack&) = delete;
    ContentPack& operator=(const ContentPack&) = delete;
    ContentPack(ContentPack&&) = default;
    ContentPack& operator=(ContentPack&&) = default;

    // Builds a pack from validated parts. items[i] belongs to exam itemExams[i].
    static ContentPack build(std::vector<v1::Blueprint> blueprints, std::vector<v1::Item> items,
                             const std::vector<std::string>& itemExams);

    const std::vector<std::unique_ptr<Exam>>& exams() const { return m_exams; }
    const Exam* exam(std::string_view code) const;
    // The default exam for new learners: the first blueprint (ordered by code).
    const Exam* defaultExam() const { return m_exams.empty() ? nullptr : m_exams.front().get(); }
    const std::vector<v1::Item>& items() const { return m_items; }
    const ItemRef* item(std::string_view id) const;
    const ItemRef& itemAt(size_t index) const { return m_refs[index]; }
    size_t itemCount() const { return m_items.size(); }
    // Directory the pack was loaded from (for reloads and reports).
    std::string_view directory() const { return m_directory; }
    void setDirectory(std::string dir) { m_directory = std::move(dir); }

private:
    std::vector<std::unique_ptr<Exam>> m_exams;
    std::vector<v1::Item> m_items;
    std::vector<ItemRef> m_refs;
    std::unordered_map<std::string, size_t> m_itemIndex;
    std::string m_directory;
};

// Number of correct options a question asks for (0 for flashcards).
int correctCount(const v1::Item& item);

}  // namespace retain::core
