#pragma once
// Coverage of the exam by a study policy (issue 16): which of the exam's study items a learner has
// answered by the end of each day, when each task statement was first met, and how the minutes split
// over the blueprint's domains.
//
// Every policy studies through Learner::study, so the simulator observes them all at that one call: a
// CoverageRecorder wraps the ground-truth learner handed to the policy and forwards to it. Study items
// are core::Exam::items() (the mock reserve is not among them); an answer to a study item in a mock form
// counts as seen. Minutes count every answer (mock forms and reserve questions included) on its item's
// domain, so the domains' minutes add up to the run's minutes.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/content_pack.h"
#include "sim/ground_truth.h"

namespace retain::sim {

// The exam's domains as the coverage measures see them (blueprint order).
struct CoverageDomain {
    std::string id;
    std::string name;
    double weight = 0;   // blueprint weight, as a fraction
    int studyItems = 0;  // of the pack's study items
    int statements = 0;  // task statements
};

// Where each pack item falls in the exam's blueprint.
struct CoverageLayout {
    std::vector<CoverageDomain> domains;
    std::vector<int> statementDomain;  // task statement index -> domain index
    std::vector<int> itemDomain;       // pack item index -> domain index; -1 for other exams' items
    std::vector<int> itemStatement;    // pack item index -> task statement index; -1 likewise
    std::vector<bool> studyItem;       // pack item index -> one of the exam's study items
    static CoverageLayout of(const core::Exam& exam, const core::ContentPack& pack);
};

// What a learner met under one policy, recorded per study day (see LearnerRun).
struct Coverage {
    std::vector<std::vector<double>> seenByDomain;  // [day][domain]: share of study items seen by its end
    std::vector<int> statementFirstSeen;            // per task statement: first day seen; -1: never
    std::vector<double> domainMinutes;              // per domain: minutes of all answers on its items
};

// The learner a policy studies: forwards to the ground truth and records coverage. Call beginDay before
// each study day and endDay after it.
class CoverageRecorder final : public Learner {
public:
    CoverageRecorder(Learner& truth, const Population* population, const CoverageLayout& layout);
    Outcome study(size_t index, double day, std::mt19937_64& rng) override;
    double skill(int statement, double day) const override { return m_truth.skill(statement, day); }
    double probabilityCorrect(size_t index, double day) const override {
        return m_truth.probabilityCorrect(index, day);
    }
    void beginDay(int day) { m_day = day; }
    void endDay();  // appends the day's seen shares
    const Coverage& coverage() const { return m_coverage; }

private:
    Learner& m_truth;
    const CoverageLayout& m_layout;
    std::vector<bool> m_seen;          // per pack item
    std::vector<int> m_seenPerDomain;  // study items seen
    Coverage m_coverage;
    int m_day = 0;
};

// The study days (1-based, the end of that day) at which coverage is reported: ceil(days × percent/100)
// for 10, 25, 50 and 100 %, at least 1.
std::vector<int> coverageCheckpointDays(int days);
// The number of days that counts as early for a task statement's first sighting: ceil(days / 10).
int earlyDays(int days);

struct LearnerRun;

// Coverage of one policy's learners under one model (the "coverage" object of a policy in sim.json):
// {"checkpoints": [{"percent", "day", "seen_by_domain": [mean share per domain]}], "min_seen_at_exam",
//  "early_days", "statements_seen_early" (share of learner × task statement pairs first seen within the
//  early days), "learners_missing_statement" (learners with a task statement never seen),
//  "time_share_by_domain" (pooled minutes), "time_share_max_deviation" (max |share − blueprint weight|)}.
// Runs without coverage (e.g. built by hand) are skipped; {} when none has any.
nlohmann::json coverageSummary(const std::vector<const LearnerRun*>& runs,
                               const std::vector<CoverageDomain>& domains, int days);

// The coverage table of sim.txt for one model's "policies" (empty when none has coverage).
std::string coverageText(const nlohmann::json& policies, const nlohmann::json& domains);

}  // namespace retain::sim
