#pragma once
// What a question bank rewards besides knowledge: the score of no-knowledge ("test-wise") strategies
// against chance, where the keys sit among the options, and the shape of the bank (scenario stems,
// difficulty, the mock reserve). `retainctl content lint` enforces it and `content stats` reports it.

#include <string>
#include <vector>

#include "core/content_pack.h"
#include "retain/v1/content.pb.h"

namespace retain::core {

// An exam's questions, study and mock reserve, by task statement in content order.
std::vector<const retain::v1::Item*> examQuestions(const ContentPack& pack, const Exam& exam);

// A strategy that picks options without knowing the subject. Each scores the options; the strategy
// picks the top k (k = the number of keys), breaking ties at random, and is right only when it picks
// exactly the key set. Its expected score over the bank is compared with blind guessing's.
enum class Strategy {
    Longest,        // the longest option(s)
    Shortest,       // the shortest option(s)
    StemOverlap,    // the option(s) sharing most content words with the stem
    OddOneOut,      // the option(s) least like the others (mean word-set Jaccard distance)
    NumericMiddle,  // when every option holds a distinct number: the middle value(s)
};
inline constexpr Strategy kStrategies[] = {Strategy::Longest, Strategy::Shortest, Strategy::StemOverlap,
                                           Strategy::OddOneOut, Strategy::NumericMiddle};
const char* strategyName(Strategy s);

// Probability that the strategy picks exactly the key set of one question (ties broken at random).
double strategySuccess(const retain::v1::Item& question, Strategy s);
// Blind guessing: 1 / C(options, keys).
double chanceSuccess(const retain::v1::Item& question);

struct StrategyScore {
    Strategy strategy{};
    double score = 0;   // mean success over the questions
    double chance = 0;  // mean blind-guessing success over the same questions
};

// Keys by position, observed against what uniform placement expects, with a chi-squared test.
struct KeyPositions {
    std::vector<double> observed;
    std::vector<double> expected;
    double chiSquared = 0;
    double pValue = 1;  // upper tail, positions - 1 degrees of freedom; 1 when there is nothing to test
};

struct BankReport {
    int questions = 0;
    int multipleChoice = 0;
    int multipleResponse = 0;
    int reserve = 0;
    int scenarioStems = 0;   // stems of kScenarioMinWords..kScenarioMaxWords words
    int difficulty[6] = {};  // count per difficulty 1..5 (index 0 unused)
    std::vector<StrategyScore> strategies;
    KeyPositions multipleChoiceKeys;
    KeyPositions multipleResponseKeys;
};

inline constexpr int kScenarioMinWords = 50;
inline constexpr int kScenarioMaxWords = 120;
// A strategy may beat or trail chance by at most this much over the bank.
inline constexpr double kStrategyTolerance = 0.05;
// Below this many questions the bank-level rules are reported but not enforced: too noisy to judge.
inline constexpr int kMinQuestionsToJudge = 100;

int wordCount(const std::string& text);
// Questions only (flashcards are skipped).
BankReport analyzeBank(const std::vector<const retain::v1::Item*>& items);
// The bank-level rules a report breaks (empty when it passes or is too small to judge).
std::vector<std::string> bankProblems(const BankReport& report);

// Upper tail of the chi-squared distribution.
double chiSquaredUpperTail(double x, int degreesOfFreedom);

}  // namespace retain::core
