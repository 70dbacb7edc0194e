#include "core/question_bank.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <string_view>

namespace retain::core {
namespace {

namespace v1 = ::retain::v1;

const std::set<std::string, std::less<>>& stopWords() {
    static const std::set<std::string, std::less<>> words{
        "the",  "and",   "for",    "with",  "from",   "that",    "this", "these", "those", "into",  "than",
        "then", "which", "what",   "when",  "where",  "who",     "whom", "how",   "why",   "not",   "can",
        "will", "would", "should", "could", "may",    "might",   "must", "does",  "did",   "has",   "have",
        "had",  "their", "there",  "they",  "them",   "our",     "your", "you",   "its",   "are",   "was",
        "were", "been",  "being",  "all",   "any",    "each",    "more", "most",  "less",  "least", "such",
        "only", "also",  "very",   "both",  "either", "neither", "per",  "via",   "using", "use",   "uses",
        "used", "but",   "she",    "his",   "her"};
    return words;
}

// Lower-case words: letters, digits and inner '_', '-', '.'.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string w;
    auto flush = [&] {
        while (!w.empty() && (w.back() == '-' || w.back() == '.' || w.back() == '_'))
            w.pop_back();
        if (!w.empty())
            out.push_back(std::move(w));
        w.clear();
    };
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c))
            w += static_cast<char>(std::tolower(c));
        else if (!w.empty() && (c == '-' || c == '.' || c == '_'))
            w += static_cast<char>(c);
        else
            flush();
    }
    flush();
    return out;
}

std::set<std::string> contentWords(std::string_view text) {
    std::set<std::string> out;
    for (auto& w : words(text))
        if (w.size() > 2 && !stopWords().count(w))
            out.insert(std::move(w));
    return out;
}

std::optional<double> firstNumber(const std::string& text) {
    std::string s;
    for (char c : text)
        if (c != ',')
            s += c;
    for (size_t i = 0; i < s.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            size_t start = i > 0 && s[i - 1] == '-' ? i - 1 : i;
            return std::strtod(s.c_str() + start, nullptr);
        }
    }
    return std::nullopt;
}

double choose(int n, int k) {
    double r = 1;
    for (int i = 1; i <= k; ++i)
        r = r * (n - k + i) / i;
    return r;
}

// Probability that the top k by score, ties broken at random, are exactly the keys.
double topKSuccess(const std::vector<double>& scores, const std::vector<bool>& key, int k) {
    if (k < 1 || k > static_cast<int>(scores.size()))
        return 0;
    std::vector<double> sorted = scores;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const double v = sorted[static_cast<size_t>(k - 1)];
    int above = 0, tied = 0, keysTied = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
        if (scores[i] > v) {
            if (!key[i])
                return 0;  // the strategy surely picks a wrong option
            ++above;
        } else if (scores[i] == v) {
            ++tied;
            keysTied += key[i];
        } else if (key[i]) {
            return 0;  // a key the strategy never picks
        }
    }
    const int need = k - above;
    if (keysTied != need)
        return 0;
    return 1.0 / choose(tied, need);
}

std::vector<double> strategyScores(const v1::Item& q, Strategy s) {
    const int n = q.options_size();
    std::vector<double> out(static_cast<size_t>(n), 0.0);
    switch (s) {
        case Strategy::Longest:
        case Strategy::Shortest:
            for (int i = 0; i < n; ++i) {
                const double len = static_cast<double>(q.options(i).text().size());
                out[static_cast<size_t>(i)] = s == Strategy::Longest ? len : -len;
            }
            break;
        case Strategy::StemOverlap: {
            const auto stem = contentWords(q.prompt());
            for (int i = 0; i < n; ++i) {
                int shared = 0;
                for (const auto& w : contentWords(q.options(i).text()))
                    shared += static_cast<int>(stem.count(w));
                out[static_cast<size_t>(i)] = shared;
            }
            break;
        }
        case Strategy::OddOneOut: {
            std::vector<std::set<std::string>> sets;
            for (int i = 0; i < n; ++i)
                sets.push_back(contentWords(q.options(i).text()));
            for (int i = 0; i < n; ++i) {
                double sum = 0;
                for (int j = 0; j < n; ++j) {
                    if (i == j)
                        continue;
                    size_t common = 0;
                    for (const auto& w : sets[static_cast<size_t>(i)])
                        common += sets[static_cast<size_t>(j)].count(w);
                    const size_t uni =
                        sets[static_cast<size_t>(i)].size() + sets[static_cast<size_t>(j)].size() - common;
                    sum += uni ? 1.0 - static_cast<double>(common) / static_cast<double>(uni) : 0.0;
                }
                // Rounded so that equal distances computed in a different order still tie.
                out[static_cast<size_t>(i)] = std::round(sum / std::max(1, n - 1) * 1e6) / 1e6;
            }
            break;
        }
        case Strategy::NumericMiddle: {
            std::vector<double> values;
            for (int i = 0; i < n; ++i) {
                auto v = firstNumber(q.options(i).text());
                if (!v)
                    return out;  // not a numeric item: every option ties, which is chance
                values.push_back(*v);
            }
            std::vector<double> sorted = values;
            std::sort(sorted.begin(), sorted.end());
            if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
                return out;
            for (int i = 0; i < n; ++i) {
                const auto rank =
                    std::lower_bound(sorted.begin(), sorted.end(), values[static_cast<size_t>(i)]) -
                    sorted.begin();
                out[static_cast<size_t>(i)] = -std::abs(static_cast<double>(rank) - (n - 1) / 2.0);
            }
            break;
        }
    }
    return out;
}

KeyPositions keyTest(std::vector<double> observed, std::vector<double> expected) {
    KeyPositions k;
    while (!expected.empty() && expected.back() <= 0) {
        expected.pop_back();
        observed.pop_back();
    }
    k.observed = observed;
    k.expected = expected;
    if (expected.size() < 2)
        return k;
    for (size_t i = 0; i < expected.size(); ++i)
        k.chiSquared += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
    k.pValue = chiSquaredUpperTail(k.chiSquared, static_cast<int>(expected.size()) - 1);
    return k;
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

}  // namespace

std::vector<const v1::Item*> examQuestions(const ContentPack& pack, const Exam& exam) {
    std::vector<const v1::Item*> out;
    for (const auto& ts : exam.taskStatements())
        for (const auto* list : {&exam.itemsOf(ts.index), &exam.reserveOf(ts.index)})
            for (size_t idx : *list)
                if (pack.itemAt(idx).item->kind() != v1::FLASHCARD)
                    out.push_back(pack.itemAt(idx).item);
    return out;
}

const char* strategyName(Strategy s) {
    switch (s) {
        case Strategy::Longest:
            return "longest option";
        case Strategy::Shortest:
            return "shortest option";
        case Strategy::StemOverlap:
            return "most words shared with the stem";
        case Strategy::OddOneOut:
            return "option least like the others";
        case Strategy::NumericMiddle:
            return "middle of numeric options";
    }
    return "?";
}

int wordCount(const std::string& text) {
    int n = 0;
    bool in = false;
    for (char c : text) {
        const bool space = std::isspace(static_cast<unsigned char>(c));
        n += !space && !in;
        in = !space;
    }
    return n;
}

double chanceSuccess(const v1::Item& q) {
    int k = 0;
    for (const auto& o : q.options())
        k += o.correct();
    return k > 0 ? 1.0 / choose(q.options_size(), k) : 0.0;
}

double strategySuccess(const v1::Item& q, Strategy s) {
    std::vector<bool> key;
    int k = 0;
    for (const auto& o : q.options()) {
        key.push_back(o.correct());
        k += o.correct();
    }
    return topKSuccess(strategyScores(q, s), key, k);
}

BankReport analyzeBank(const std::vector<const v1::Item*>& items) {
    BankReport r;
    std::vector<double> strategy(std::size(kStrategies), 0.0);
    double chance = 0;
    std::vector<double> mcObserved(4, 0.0), mcExpected(4, 0.0);
    std::vector<double> mrObserved, mrExpected;
    for (const auto* q : items) {
        if (q->kind() != v1::MULTIPLE_CHOICE && q->kind() != v1::MULTIPLE_RESPONSE)
            continue;
        ++r.questions;
        r.reserve += q->mock_reserve();
        const int words = wordCount(q->prompt());
        r.scenarioStems += words >= kScenarioMinWords && words <= kScenarioMaxWords;
        if (q->difficulty() >= 1 && q->difficulty() <= 5)
            ++r.difficulty[q->difficulty()];
        chance += chanceSuccess(*q);
        for (size_t s = 0; s < std::size(kStrategies); ++s)
            strategy[s] += strategySuccess(*q, kStrategies[s]);
        const int n = q->options_size();
        int k = 0;
        for (const auto& o : q->options())
            k += o.correct();
        if (q->kind() == v1::MULTIPLE_CHOICE) {
            ++r.multipleChoice;
            for (int i = 0; i < n && i < 4; ++i) {
                mcObserved[static_cast<size_t>(i)] += q->options(i).correct();
                mcExpected[static_cast<size_t>(i)] += 1.0 / n;
            }
        } else {
            ++r.multipleResponse;
            if (mrObserved.size() < static_cast<size_t>(n)) {
                mrObserved.resize(static_cast<size_t>(n), 0.0);
                mrExpected.resize(static_cast<size_t>(n), 0.0);
            }
            for (int i = 0; i < n; ++i) {
                mrObserved[static_cast<size_t>(i)] += q->options(i).correct();
                mrExpected[static_cast<size_t>(i)] += static_cast<double>(k) / n;
            }
        }
    }
    const double denom = std::max(1, r.questions);
    for (size_t s = 0; s < std::size(kStrategies); ++s)
        r.strategies.push_back({kStrategies[s], strategy[s] / denom, chance / denom});
    r.multipleChoiceKeys = keyTest(mcObserved, mcExpected);
    // Positions rarely used (the sixth option of a few items) are pooled with the one before so the
    // chi-squared approximation holds (expected count at least 5).
    while (mrExpected.size() > 2 && mrExpected.back() < 5) {
        mrExpected[mrExpected.size() - 2] += mrExpected.back();
        mrObserved[mrObserved.size() - 2] += mrObserved.back();
        mrExpected.pop_back();
        mrObserved.pop_back();
    }
    r.multipleResponseKeys = keyTest(mrObserved, mrExpected);
    return r;
}

std::vector<std::string> bankProblems(const BankReport& r) {
    std::vector<std::string> out;
    if (r.questions < kMinQuestionsToJudge)
        return out;
    for (const auto& s : r.strategies)
        if (std::abs(s.score - s.chance) > kStrategyTolerance)
            out.push_back(std::string("test-wiseness: picking the ") + strategyName(s.strategy) + " scores " +
                          fixed(100 * s.score, 1) + " % against " + fixed(100 * s.chance, 1) +
                          " % for blind guessing (allowed: within " + fixed(100 * kStrategyTolerance, 0) +
                          " points)");
    if (r.multipleChoiceKeys.pValue <= 0.05)
        out.push_back("multiple-choice keys are not spread evenly over the positions (chi-squared p = " +
                      fixed(r.multipleChoiceKeys.pValue, 3) + ")");
    if (r.multipleResponseKeys.pValue <= 0.05)
        out.push_back("multiple-response keys are not spread evenly over the positions (chi-squared p = " +
                      fixed(r.multipleResponseKeys.pValue, 3) + ")");
    return out;
}

double chiSquaredUpperTail(double x, int degreesOfFreedom) {
    // Q(a, x/2) with a = df/2: the series for small x, Lentz's continued fraction otherwise.
    const double a = degreesOfFreedom / 2.0;
    const double h = x / 2.0;
    if (h <= 0 || degreesOfFreedom < 1)
        return 1.0;
    const double logPrefix = -h + a * std::log(h) - std::lgamma(a);
    if (h < a + 1) {
        double term = 1.0 / a, sum = term, ap = a;
        for (int i = 0; i < 1000 && term > sum * 1e-15; ++i) {
            ap += 1;
            term *= h / ap;
            sum += term;
        }
        return std::clamp(1.0 - sum * std::exp(logPrefix), 0.0, 1.0);
    }
    const double tiny = 1e-300;
    double b = h + 1 - a, c = 1 / tiny, d = 1 / b, f = d;
    for (int i = 1; i < 1000; ++i) {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (std::abs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny)
            c = tiny;
        d = 1 / d;
        const double delta = d * c;
        f *= delta;
        if (std::abs(delta - 1) < 1e-15)
            break;
    }
    return std::clamp(std::exp(logPrefix) * f, 0.0, 1.0);
}

}  // namespace retain::core
