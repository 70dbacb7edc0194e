#include "core/content_rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/content_pack.h"
#include "core/question_bank.h"
#include "core/study_day.h"

namespace retain::core {
namespace {

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool validItemId(const std::string& id) {
    if (id.empty() || id.size() > 96)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
}

// Options are shuffled when shown, so no option may point at another by letter or position.
bool refersToOtherOptions(const std::string& text) {
    std::string lower;
    for (char c : text)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* phrase : {"all of the above", "none of the above", "both a and b", "options a",
                               "option a ", "option b ", "option c ", "option d "})
        if (lower.find(phrase) != std::string::npos)
            return true;
    return false;
}

const char* kNumberWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

// Checks the safe formatting subset: balanced `code` spans and no markup outside it.
std::vector<std::string> formattingProblems(const std::string& text, const std::string& field) {
    std::vector<std::string> out;
    size_t ticks = std::count(text.begin(), text.end(), '`');
    if (ticks % 2 != 0)
        out.push_back(field + ": unbalanced ` (code spans must be closed)");
    bool inCode = false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '`')
            inCode = !inCode;
        if (inCode)
            continue;
        if (text[i] == '<' && i + 1 < text.size() &&
            (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '/')) {
            out.push_back(
                field +
                ": HTML-like tag outside a code span (only `code`, *emphasis*, **strong** are allowed)");
            break;
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> validateBlueprint(const v1::Blueprint& bp) {
    std::vector<std::string> out;
    if (bp.code().empty())
        out.push_back("blueprint: code is empty");
    if (bp.name().empty())
        out.push_back("blueprint: name is empty");
    const auto& f = bp.form();
    if (f.total_questions() == 0)
        out.push_back("form.total_questions must be > 0");
    if (f.scored_questions() == 0)
        out.push_back("form.scored_questions must be > 0");
    if (f.scored_questions() + f.unscored_questions() != f.total_questions())
        out.push_back("form: scored_questions + unscored_questions must equal total_questions");
    if (f.duration_minutes() == 0)
        out.push_back("form.duration_minutes must be > 0");
    if (f.scaled_score_max() <= f.scaled_score_min())
        out.push_back("form: scaled_score_max must exceed scaled_score_min");
    if (f.passing_scaled_score() <= f.scaled_score_min() || f.passing_scaled_score() > f.scaled_score_max())
        out.push_back("form.passing_scaled_score must lie in (scaled_score_min, scaled_score_max]");
    if (!(f.assumed_cut_fraction() > 0 && f.assumed_cut_fraction() < 1))
        out.push_back("form.assumed_cut_fraction must be in (0, 1)");
    if (f.cut_assumption_note().empty())
        out.push_back("form.cut_assumption_note is empty: say why the cut is assumed");
    if (bp.domains().empty())
        out.push_back("blueprint has no domains");
    double weights = 0;
    std::set<std::string> domainIds, statementIds;
    for (const auto& d : bp.domains()) {
        weights += d.weight_percent();
        if (d.id().empty())
            out.push_back("domain with empty id");
        if (!domainIds.insert(d.id()).second)
            out.push_back("duplicate domain id \"" + d.id() + "\"");
        if (d.weight_percent() <= 0)
            out.push_back("domain " + d.id() + ": weight_percent must be > 0");
        if (d.task_statements().empty())
            out.push_back("domain " + d.id() + " has no task statements");
        for (const auto& ts : d.task_statements()) {
            if (ts.id().rfind(d.id() + ".", 0) != 0)
                out.push_back("task statement \"" + ts.id() + "\" must start with its domain id \"" + d.id() +
                              ".\"");
            if (!statementIds.insert(ts.id()).second)
                out.push_back("duplicate task statement id \"" + ts.id() + "\"");
            if (ts.title().empty())
                out.push_back("task statement " + ts.id() + ": title is empty");
        }
    }
    if (!bp.domains().empty() && std::abs(weights - 100.0) > 0.01)
        out.push_back("domain weights sum to " + std::to_string(weights) + ", not 100");
    return out;
}

std::vector<std::string> validateItem(const v1::Item& item) {
    std::vector<std::string> out;
    if (item.id().empty())
        out.push_back("id is empty");
    else if (!validItemId(item.id()))
        out.push_back("id \"" + item.id() + "\" may only contain a-z, 0-9, '.', '-' (max 96)");
    if (item.revision() < 1)
        out.push_back("revision must be >= 1");
    if (item.task_statement().empty())
        out.push_back("task_statement is empty");
    if (blank(item.prompt()))
        out.push_back("prompt is empty");
    if (blank(item.explanation()))
        out.push_back("explanation is missing");
    if (item.difficulty() < 1 || item.difficulty() > 5)
        out.push_back("difficulty must be 1..5");
    if (item.references().empty())
        out.push_back("no reference: every item needs at least one source");
    for (int i = 0; i < item.references_size(); ++i) {
        const auto& r = item.references(i);
        if (r.title().empty())
            out.push_back("reference " + std::to_string(i + 1) + " has no title");
        if (r.url().empty() && r.citation().empty())
            out.push_back("reference " + std::to_string(i + 1) + " needs a url or a citation");
    }
    const int n = item.options_size();
    const int k = correctCount(item);
    switch (item.kind()) {
        case v1::FLASHCARD:
            if (blank(item.answer()))
                out.push_back("flashcard has no answer");
            if (n > 0)
                out.push_back("flashcard must not have options");
            break;
        case v1::MULTIPLE_CHOICE:
            if (n != 4 || k != 1)
                out.push_back("multiple choice needs exactly 1 correct of 4 options, has " +
                              std::to_string(k) + " correct of " + std::to_string(n));
            break;
        case v1::MULTIPLE_RESPONSE:
            if (n < 5 || k < 2)
                out.push_back("multiple response needs 2 or more correct of 5 or more options, has " +
                              std::to_string(k) + " correct of " + std::to_string(n));
            break;
        default:
            out.push_back("kind is not set (FLASHCARD, MULTIPLE_CHOICE or MULTIPLE_RESPONSE)");
    }
    if (item.kind() != v1::FLASHCARD && !item.answer().empty())
        out.push_back("a question must not have an answer field");
    if (item.kind() == v1::FLASHCARD && item.mock_reserve())
        out.push_back("mock_reserve is for questions; a flashcard cannot be held back for mock exams");
    if (!item.as_of().empty() && !StudyDayClock::parseIsoDate(item.as_of()))
        out.push_back("as_of \"" + item.as_of().substr(0, 40) + "\" is not a date (YYYY-MM-DD)");
    for (int i = 0; i < n; ++i) {
        const auto& o = item.options(i);
        if (blank(o.text()))
            out.push_back("option " + std::to_string(i + 1) + " has no text");
        if (blank(o.explanation()))
            out.push_back("option " + std::to_string(i + 1) + " has no explanation");
    }
    return out;
}

std::vector<std::string> lintItem(const v1::Item& item) {
    std::vector<std::string> out;
    if (item.kind() == v1::MULTIPLE_RESPONSE) {
        const int k = correctCount(item);
        if (k >= 0 && k < 10) {
            const std::string want = std::string("(Choose ") + kNumberWords[k] + ".)";
            if (item.prompt().find(want) == std::string::npos)
                out.push_back("multiple-response stem must say how many to choose: \"" + want + "\"");
        }
    }
    for (auto& p : formattingProblems(item.prompt(), "prompt"))
        out.push_back(p);
    for (auto& p : formattingProblems(item.answer(), "answer"))
        out.push_back(p);
    for (auto& p : formattingProblems(item.explanation(), "explanation"))
        out.push_back(p);
    for (int i = 0; i < item.options_size(); ++i)
        for (auto& p : formattingProblems(item.options(i).text(), "option " + std::to_string(i + 1)))
            out.push_back(p);
    for (int i = 0; i < item.references_size(); ++i) {
        const auto& url = item.references(i).url();
        if (!url.empty() && url.rfind("https://", 0) != 0)
            out.push_back("reference " + std::to_string(i + 1) + " url must start with https://");
    }
    if (item.kind() == v1::FLASHCARD) {
        // One fact per card: the back is short, the front asks one thing.
        if (const int words = wordCount(item.answer()); words > kMaxFlashcardAnswerWords)
            out.push_back("flashcard answer has " + std::to_string(words) + " words (at most " +
                          std::to_string(kMaxFlashcardAnswerWords) + "; move the rest to the explanation)");
        if (std::count(item.prompt().begin(), item.prompt().end(), '?') > 1)
            out.push_back("flashcard prompt asks more than one question (one fact per card)");
    } else if (item.options_size() > 1) {
        double key = 0, other = 0;
        int keys = 0;
        for (int i = 0; i < item.options_size(); ++i) {
            const auto& o = item.options(i);
            (o.correct() ? key : other) += static_cast<double>(o.text().size());
            keys += o.correct();
            if (refersToOtherOptions(o.text()))
                out.push_back("option " + std::to_string(i + 1) +
                              " refers to other options by letter or as a group; options are shuffled");
        }
        const int others = item.options_size() - keys;
        if (keys > 0 && others > 0 && other > 0) {
            const double ratio = (key / keys) / (other / others);
            if (ratio > kMaxKeyLengthRatio || ratio < 1.0 / kMaxKeyLengthRatio) {
                char buf[24];
                std::snprintf(buf, sizeof buf, "%.2f", ratio);
                out.push_back(std::string("the correct option") + (keys > 1 ? "s are " : " is ") + buf +
                              " times as long as the distractors on average: write every option to the same "
                              "length and level of detail");
            }
        }
    }
    return out;
}

std::vector<std::pair<size_t, size_t>> findSamePrompts(const std::vector<v1::Item>& items) {
    std::unordered_map<std::string, size_t> seen;
    std::vector<std::pair<size_t, size_t>> out;
    for (size_t i = 0; i < items.size(); ++i) {
        std::string key;
        for (char c : items[i].prompt())
            if (std::isalnum(static_cast<unsigned char>(c)))
                key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto [it, fresh] = seen.emplace(key, i);
        if (!fresh)
            out.emplace_back(it->second, i);
    }
    return out;
}

namespace {
std::vector<uint64_t> shingles(const v1::Item& item) {
    std::string text = item.prompt() + " " + item.answer();
    for (const auto& o : item.options())
        text += " " + o.text();
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty())
        words.push_back(word);
    std::vector<uint64_t> out;
    std::hash<std::string> h;
    for (size_t i = 0; i + 2 < words.size(); ++i)
        out.push_back(h(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}
}  // namespace

std::vector<NearDuplicate> findNearDuplicates(const std::vector<v1::Item>& items, double threshold) {
    std::vector<std::vector<uint64_t>> sets;
    sets.reserve(items.size());
    for (const auto& it : items)
        sets.push_back(shingles(it));
    // Inverted index from shingle to items, so only pairs sharing a shingle are compared.
    std::unordered_map<uint64_t, std::vector<size_t>> index;
    for (size_t i = 0; i < sets.size(); ++i)
        for (auto s : sets[i])
            index[s].push_back(i);
    std::unordered_map<uint64_t, uint32_t> shared;  // key: i * n + j
    const uint64_t n = items.size();
    for (const auto& [s, list] : index) {
        if (list.size() > 50)
            continue;  // boilerplate phrase shared by many items: not informative
        for (size_t a = 0; a < list.size(); ++a)
            for (size_t b = a + 1; b < list.size(); ++b)
                ++shared[list[a] * n + list[b]];
    }
    std::vector<NearDuplicate> out;
    for (const auto& [key, common] : shared) {
        const size_t i = key / n, j = key % n;
        const double uni = static_cast<double>(sets[i].size() + sets[j].size() - common);
        const double sim = uni > 0 ? common / uni : 0;
        if (sim >= threshold)
            out.push_back({i, j, sim});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second < b.second;
    });
    return out;
}

}  // namespace retain::core
