#include "core/content_loader.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/content_rules.h"

namespace retain::core {
namespace fs = std::filesystem;
namespace pb = google::protobuf;

std::string ContentIssue::format() const {
    std::ostringstream out;
    out << file;
    if (line > 0)
        out << ':' << line << ':' << column;
    out << ": ";
    if (!itemId.empty())
        out << "item " << itemId << ": ";
    out << reason;
    return out.str();
}

namespace {

class Collector final : public pb::io::ErrorCollector {
public:
    Collector(std::string file, std::vector<ContentIssue>& out) : m_file(std::move(file)), m_out(out) {}
    void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
        m_out.push_back({m_file, line + 1, column + 1, "", message});
    }
    void AddWarning(int line, pb::io::ColumnNumber column, const std::string& message) override {
        m_out.push_back({m_file, line + 1, column + 1, "", message});
    }

private:
    std::string m_file;
    std::vector<ContentIssue>& m_out;
};

std::optional<std::string> readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<fs::path> textprotoFiles(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return files;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".textproto")
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Parses `text` as message `msg`; records syntax errors (with line and column) and the field locations.
bool parseText(const std::string& text, const std::string& rel, pb::Message& msg,
               pb::TextFormat::ParseInfoTree& tree, std::vector<ContentIssue>& errors) {
    Collector collector(rel, errors);
    pb::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.WriteLocationsTo(&tree);
    return parser.ParseFromString(text, &msg);
}

}  // namespace

ContentLoadResult loadContent(const std::string& directory) {
    ContentLoadResult result;
    const fs::path root(directory);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        result.errors.push_back(
            {directory, 0, 0, "", "content directory does not exist or is not a directory"});
        return result;
    }

    // Blueprints.
    std::vector<v1::Blueprint> blueprints;
    std::set<std::string> codes;
    const auto blueprintFiles = textprotoFiles(root / "blueprints");
    if (blueprintFiles.empty())
        result.errors.push_back({"blueprints/", 0, 0, "", "no blueprint (*.textproto) found"});
    for (const auto& path : blueprintFiles) {
        const std::string rel = fs::relative(path, root).string();
        ++result.files;
        auto text = readFile(path);
        if (!text) {
            result.errors.push_back({rel, 0, 0, "", "cannot read file"});
            continue;
        }
        v1::Blueprint bp;
        pb::TextFormat::ParseInfoTree tree;
        if (!parseText(*text, rel, bp, tree, result.errors))
            continue;
        for (auto& problem : validateBlueprint(bp))
            result.errors.push_back({rel, 0, 0, "", problem});
        if (!codes.insert(bp.code()).second)
            result.errors.push_back({rel, 0, 0, "", "duplicate blueprint code \"" + bp.code() + "\""});
        blueprints.push_back(std::move(bp));
    }
    // Task statements per exam, to check items against.
    std::unordered_map<std::string, std::unordered_set<std::string>> statements;
    for (const auto& bp : blueprints)
        for (const auto& d : bp.domains())
            for (const auto& ts : d.task_statements())
                statements[bp.code()].insert(ts.id());

    // Items.
    std::vector<v1::Item> items;
    std::vector<std::string> itemExams;
    struct Where {
        std::string file;
        int line;
    };
    std::unordered_map<std::string, Where> seen;
    const auto* itemsField = v1::ItemFile::descriptor()->FindFieldByName("items");
    for (const auto& path : textprotoFiles(root / "items")) {
        const std::string rel = fs::relative(path, root).string();
        ++result.files;
        auto text = readFile(path);
        if (!text) {
            result.errors.push_back({rel, 0, 0, "", "cannot read file"});
            continue;
        }
        v1::ItemFile file;
        pb::TextFormat::ParseInfoTree tree;
        if (!parseText(*text, rel, file, tree, result.errors))
            continue;
        auto exam = statements.find(file.exam());
        if (file.exam().empty() || exam == statements.end()) {
            result.errors.push_back(
                {rel, 1, 1, "", "unknown exam \"" + file.exam() + "\" (no blueprint has this code)"});
            continue;
        }
        for (int i = 0; i < file.items_size(); ++i) {
            const auto& item = file.items(i);
            const auto loc = tree.GetLocation(itemsField, i);
            const int line = loc.line + 1;
            const int column = loc.column + 1;
            auto add = [&](const std::string& reason) {
                result.errors.push_back({rel, line, column, item.id(), reason});
            };
            for (auto& problem : validateItem(item))
                add(problem);
            if (!item.task_statement().empty() && !exam->second.count(item.task_statement()))
                add("unknown task statement \"" + item.task_statement() + "\" for exam " + file.exam());
            if (!item.id().empty()) {
                auto [it, inserted] = seen.emplace(item.id(), Where{rel, line});
                if (!inserted)
                    add("duplicate id (first defined at " + it->second.file + ":" +
                        std::to_string(it->second.line) + ")");
            }
            items.push_back(item);
            itemExams.push_back(file.exam());
        }
    }
    // Cross-item references. A study item never points at the mock reserve: related items are shown with a
    // leech, and that would show a held-back question in study.
    std::unordered_set<std::string> reserve;
    for (const auto& item : items)
        if (item.mock_reserve())
            reserve.insert(item.id());
    for (const auto& item : items) {
        for (const auto& rel : item.related()) {
            const auto& w = seen[item.id()];
            if (!seen.count(rel))
                result.errors.push_back(
                    {w.file, w.line, 1, item.id(), "related item \"" + rel + "\" does not exist"});
            else if (!item.mock_reserve() && reserve.count(rel))
                result.errors.push_back(
                    {w.file, w.line, 1, item.id(),
                     "related item \"" + rel + "\" is in the mock reserve, which study never shows"});
        }
    }
    if (result.errors.empty()) {
        result.pack = ContentPack::build(std::move(blueprints), std::move(items), itemExams);
        result.pack->setDirectory(directory);
    }
    return result;
}

}  // namespace retain::core
