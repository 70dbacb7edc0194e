// retainctl content lint DIR | content stats DIR — offline checks of a content directory.
#include <nlohmann/json.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "core/content_loader.h"
#include "core/content_rules.h"
#include "core/question_bank.h"

namespace retain::cli {
namespace {

struct LintReport {
    std::vector<core::ContentIssue> errors;
    std::optional<core::ContentPack> pack;
    size_t files = 0;
};

LintReport lint(const std::string& dir) {
    auto loaded = core::loadContent(dir);
    LintReport report{std::move(loaded.errors), std::move(loaded.pack), loaded.files};
    if (!report.pack)
        return report;
    const auto& items = report.pack->items();
    for (const auto& item : items)
        for (auto& problem : core::lintItem(item))
            report.errors.push_back({"", 0, 0, item.id(), problem});
    for (const auto& [first, second] : core::findSamePrompts(items))
        report.errors.push_back({"", 0, 0, items[second].id(),
                                 "the same prompt as " + items[first].id() + " (one fact, one item)"});
    for (const auto& exam : report.pack->exams()) {
        for (auto& problem : core::bankProblems(core::analyzeBank(core::examQuestions(*report.pack, *exam))))
            report.errors.push_back({"", 0, 0, "", exam->code() + " question bank: " + problem});
    }
    for (const auto& d : core::findNearDuplicates(items)) {
        char sim[16];
        std::snprintf(sim, sizeof sim, "%.0f%%", d.similarity * 100);
        report.errors.push_back({"", 0, 0, items[d.first].id(),
                                 std::string("near-duplicate of ") + items[d.second].id() + " (" + sim +
                                     " of word triples shared)"});
    }
    return report;
}

double rounded(double v, double scale) {
    return std::round(v * scale) / scale;
}

nlohmann::json keysJson(const core::KeyPositions& k) {
    std::vector<double> expected;
    for (double e : k.expected)
        expected.push_back(rounded(e, 10));
    return {{"observed", k.observed},
            {"expected", expected},
            {"chi_squared", rounded(k.chiSquared, 1000)},
            {"p", rounded(k.pValue, 1000)}};
}

// The question bank's shape and what it rewards besides knowledge.
nlohmann::json bankJson(const core::ContentPack& pack, const core::Exam& exam) {
    nlohmann::json reserveByDomain = nlohmann::json::object();
    for (const auto& ts : exam.taskStatements()) {
        const auto n = exam.reserveOf(ts.index).size();
        reserveByDomain[ts.domain->id()] = reserveByDomain.value(ts.domain->id(), 0) + static_cast<int>(n);
    }
    const auto r = core::analyzeBank(core::examQuestions(pack, exam));
    nlohmann::json j{
        {"questions", r.questions},
        {"multiple_choice", r.multipleChoice},
        {"multiple_response", r.multipleResponse},
        {"mock_reserve", r.reserve},
        {"mock_reserve_by_domain", reserveByDomain},
        {"scenario_stems", r.scenarioStems},
        {"scenario_share", r.questions ? static_cast<double>(r.scenarioStems) / r.questions : 0.0},
        {"difficulty", std::vector<int>(r.difficulty + 1, r.difficulty + 6)}};
    j["strategies"] = nlohmann::json::array();
    for (const auto& s : r.strategies)
        j["strategies"].push_back(
            {{"strategy", core::strategyName(s.strategy)}, {"score", s.score}, {"chance", s.chance}});
    j["key_positions"] = {{"multiple_choice", keysJson(r.multipleChoiceKeys)},
                          {"multiple_response", keysJson(r.multipleResponseKeys)}};
    j["problems"] = core::bankProblems(r);
    return j;
}

std::string percent(double v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f %%", 100 * v);
    return buf;
}

nlohmann::json statsJson(const core::ContentPack& pack) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& exam : pack.exams()) {
        nlohmann::json e;
        e["exam"] = exam->code();
        std::map<std::string, int> kinds;
        nlohmann::json domains = nlohmann::json::array();
        for (const auto& d : exam->blueprint().domains()) {
            nlohmann::json dj{{"id", d.id()}, {"name", d.name()}, {"weight_percent", d.weight_percent()}};
            std::map<std::string, int> dk;
            nlohmann::json statements = nlohmann::json::array();
            for (const auto& ts : exam->taskStatements()) {
                if (ts.domain != &d)
                    continue;
                std::map<std::string, int> k{
                    {"FLASHCARD", 0}, {"MULTIPLE_CHOICE", 0}, {"MULTIPLE_RESPONSE", 0}};
                for (size_t idx : exam->itemsOf(ts.index))
                    ++k[v1::ItemKind_Name(pack.itemAt(idx).item->kind())];
                nlohmann::json tj{{"id", ts.statement->id()}, {"title", ts.statement->title()}};
                int total = 0;
                for (auto& [kind, n] : k) {
                    tj[kind] = n;
                    dk[kind] += n;
                    kinds[kind] += n;
                    total += n;
                }
                tj["questions"] = k["MULTIPLE_CHOICE"] + k["MULTIPLE_RESPONSE"];
                tj["total"] = total;
                statements.push_back(tj);
            }
            for (auto& [kind, n] : dk)
                dj[kind] = n;
            dj["task_statements"] = statements;
            domains.push_back(dj);
        }
        e["domains"] = domains;
        e["bank"] = bankJson(pack, *exam);
        for (auto& [kind, n] : kinds)
            e[kind] = n;
        e["items"] = exam->items().size();
        out.push_back(e);
    }
    return out;
}

}  // namespace

void registerContentCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* content = app.add_subcommand("content", "check and count a content directory (offline)");
    content->require_subcommand(1);
    static std::string lintDir, statsDir;

    auto* lintCmd =
        content->add_subcommand("lint", "check a content directory: loader rules, style, near-duplicates");
    lintCmd->add_option("dir", lintDir, "content directory")->required();
    lintCmd->callback([&] {
        auto report = lint(lintDir);
        if (g.json) {
            nlohmann::json j;
            j["ok"] = report.errors.empty();
            j["files"] = report.files;
            j["items"] = report.pack ? report.pack->itemCount() : 0;
            j["errors"] = nlohmann::json::array();
            for (const auto& e : report.errors)
                j["errors"].push_back({{"file", e.file},
                                       {"line", e.line},
                                       {"column", e.column},
                                       {"item", e.itemId},
                                       {"reason", e.reason}});
            std::cout << j.dump(2) << '\n';
        } else {
            for (const auto& e : report.errors)
                std::cout << e.format() << '\n';
            std::cout << (report.errors.empty() ? "ok: " : "FAILED: ") << report.files << " files, "
                      << (report.pack ? report.pack->itemCount() : 0) << " items, " << report.errors.size()
                      << " error(s)\n";
        }
        exitCode = report.errors.empty() ? 0 : 1;
    });

    auto* stats = content->add_subcommand("stats", "count items per domain, task statement and kind");
    stats->add_option("dir", statsDir, "content directory")->required();
    stats->callback([&] {
        auto loaded = core::loadContent(statsDir);
        if (!loaded.pack) {
            for (const auto& e : loaded.errors)
                std::cerr << e.format() << '\n';
            exitCode = fail("the content has errors; run `retainctl content lint " + statsDir + "`");
            return;
        }
        const auto j = statsJson(*loaded.pack);
        if (g.json) {
            std::cout << j.dump(2) << '\n';
            return;
        }
        for (const auto& e : j) {
            std::cout << e["exam"].get<std::string>() << ": " << e["items"] << " items ("
                      << e.value("FLASHCARD", 0) << " flashcards, " << e.value("MULTIPLE_CHOICE", 0)
                      << " multiple choice, " << e.value("MULTIPLE_RESPONSE", 0) << " multiple response)\n";
            for (const auto& d : e["domains"]) {
                std::cout << "  " << d["id"].get<std::string>() << " " << d["name"].get<std::string>() << " ("
                          << d["weight_percent"] << "%)\n";
                for (const auto& t : d["task_statements"])
                    std::cout << "    " << std::left << std::setw(5) << t["id"].get<std::string>()
                              << std::right << std::setw(4) << t["FLASHCARD"] << " cards " << std::setw(4)
                              << t["MULTIPLE_CHOICE"] << " MC " << std::setw(4) << t["MULTIPLE_RESPONSE"]
                              << " MR\n";
            }
            const auto& b = e["bank"];
            std::cout << "  questions: " << b["questions"] << " (" << b["mock_reserve"]
                      << " held back for mock exams: " << b["mock_reserve_by_domain"].dump() << ")\n"
                      << "  scenario stems of " << core::kScenarioMinWords << "-" << core::kScenarioMaxWords
                      << " words: " << b["scenario_stems"] << " ("
                      << percent(b["scenario_share"].get<double>())
                      << ")\n  difficulty 1-5: " << b["difficulty"].dump() << "\n"
                      << "  no-knowledge strategies (score against blind guessing):\n";
            for (const auto& s : b["strategies"])
                std::cout << "    " << std::left << std::setw(34) << s["strategy"].get<std::string>()
                          << std::right << std::setw(8) << percent(s["score"].get<double>()) << "  vs "
                          << percent(s["chance"].get<double>()) << "\n";
            for (const char* kind : {"multiple_choice", "multiple_response"}) {
                const auto& k = b["key_positions"][kind];
                std::cout << "  " << kind << " keys by position: " << k["observed"].dump() << " expected "
                          << nlohmann::json(k["expected"]).dump(-1) << ", chi-squared p = " << k["p"] << "\n";
            }
            for (const auto& p : b["problems"])
                std::cout << "  problem: " << p.get<std::string>() << "\n";
        }
    });
}

}  // namespace retain::cli
