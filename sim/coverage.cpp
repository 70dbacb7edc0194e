#include "sim/coverage.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/simulation.h"

namespace retain::sim {

CoverageLayout CoverageLayout::of(const core::Exam& exam, const core::ContentPack& pack) {
    CoverageLayout l;
    const auto& blueprint = exam.blueprint();
    for (const auto& d : blueprint.domains())
        l.domains.push_back({d.id(), d.name(), d.weight_percent() / 100.0, 0, d.task_statements_size()});
    l.statementDomain = ExamShape::fromExam(exam, pack).statementDomain;
    l.itemDomain.assign(pack.itemCount(), -1);
    l.itemStatement.assign(pack.itemCount(), -1);
    l.studyItem.assign(pack.itemCount(), false);
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const auto& ref = pack.itemAt(i);
        if (ref.exam != &exam || !ref.statement)
            continue;
        l.itemStatement[i] = ref.statement->index;
        l.itemDomain[i] = l.statementDomain[static_cast<size_t>(ref.statement->index)];
    }
    for (size_t i : exam.items()) {
        l.studyItem[i] = l.itemDomain[i] >= 0;
        if (l.studyItem[i])
            ++l.domains[static_cast<size_t>(l.itemDomain[i])].studyItems;
    }
    return l;
}

CoverageRecorder::CoverageRecorder(Learner& truth, const Population* population, const CoverageLayout& layout)
    : Learner(population),
      m_truth(truth),
      m_layout(layout),
      m_seen(layout.itemDomain.size(), false),
      m_seenPerDomain(layout.domains.size(), 0) {
    m_coverage.statementFirstSeen.assign(layout.statementDomain.size(), -1);
    m_coverage.domainMinutes.assign(layout.domains.size(), 0.0);
}

Outcome CoverageRecorder::study(size_t index, double day, std::mt19937_64& rng) {
    const Outcome o = m_truth.study(index, day, rng);
    if (index >= m_layout.itemDomain.size() || m_layout.itemDomain[index] < 0)
        return o;
    const auto domain = static_cast<size_t>(m_layout.itemDomain[index]);
    m_coverage.domainMinutes[domain] += o.minutes;
    if (m_layout.studyItem[index] && !m_seen[index]) {
        m_seen[index] = true;
        ++m_seenPerDomain[domain];
        int& first = m_coverage.statementFirstSeen[static_cast<size_t>(m_layout.itemStatement[index])];
        if (first < 0)
            first = m_day;
    }
    return o;
}

void CoverageRecorder::endDay() {
    std::vector<double> shares;
    for (size_t d = 0; d < m_layout.domains.size(); ++d) {
        const int n = m_layout.domains[d].studyItems;
        shares.push_back(n > 0 ? static_cast<double>(m_seenPerDomain[d]) / n : 0.0);
    }
    m_coverage.seenByDomain.push_back(std::move(shares));
}

std::vector<int> coverageCheckpointDays(int days) {
    std::vector<int> out;
    for (int percent : {10, 25, 50, 100})
        out.push_back(std::max(1, (days * percent + 99) / 100));  // integer ceil: no rounding surprises
    return out;
}

int earlyDays(int days) {
    return std::max(1, (days + 9) / 10);
}

nlohmann::json coverageSummary(const std::vector<const LearnerRun*>& runs,
                               const std::vector<CoverageDomain>& domains, int days) {
    std::vector<const Coverage*> with;
    for (const LearnerRun* r : runs)
        if (r && !r->coverage.seenByDomain.empty() && r->coverage.domainMinutes.size() == domains.size())
            with.push_back(&r->coverage);
    if (with.empty() || domains.empty())
        return nlohmann::json::object();
    const size_t nd = domains.size();
    const double n = static_cast<double>(with.size());

    nlohmann::json checkpoints = nlohmann::json::array();
    const std::vector<int> percents{10, 25, 50, 100};
    const auto at = coverageCheckpointDays(days);
    double minAtExam = 1;
    for (size_t k = 0; k < at.size(); ++k) {
        std::vector<double> mean(nd, 0.0);
        for (const Coverage* c : with) {
            const auto day = std::min(static_cast<size_t>(at[k]), c->seenByDomain.size()) - 1;
            for (size_t d = 0; d < nd; ++d)
                mean[d] += c->seenByDomain[day][d] / n;
        }
        if (percents[k] == 100)
            minAtExam = *std::min_element(mean.begin(), mean.end());
        checkpoints.push_back({{"percent", percents[k]}, {"day", at[k]}, {"seen_by_domain", mean}});
    }

    const int early = earlyDays(days);
    int pairs = 0, seenEarly = 0, missing = 0;
    for (const Coverage* c : with) {
        bool never = false;
        for (int first : c->statementFirstSeen) {
            ++pairs;
            seenEarly += first >= 0 && first < early ? 1 : 0;
            never = never || first < 0;
        }
        missing += never ? 1 : 0;
    }

    std::vector<double> minutes(nd, 0.0);
    double total = 0;
    for (const Coverage* c : with)
        for (size_t d = 0; d < nd; ++d) {
            minutes[d] += c->domainMinutes[d];
            total += c->domainMinutes[d];
        }
    std::vector<double> share(nd, 0.0);
    double deviation = 0;
    for (size_t d = 0; d < nd; ++d) {
        share[d] = total > 0 ? minutes[d] / total : 0.0;
        deviation = std::max(deviation, std::abs(share[d] - domains[d].weight));
    }
    return {{"checkpoints", checkpoints},
            {"min_seen_at_exam", minAtExam},
            {"early_days", early},
            {"statements_seen_early", pairs > 0 ? static_cast<double>(seenEarly) / pairs : 0.0},
            {"learners_missing_statement", missing},
            {"time_share_by_domain", share},
            {"time_share_max_deviation", deviation}};
}

namespace {

// "0.12/0.34/0.56/0.78": one figure per domain.
std::string perDomain(const nlohmann::json& values) {
    std::ostringstream o;
    o.setf(std::ios::fixed);
    o.precision(2);
    for (size_t d = 0; d < values.size(); ++d)
        o << (d ? "/" : "") << values[d].get<double>();
    return o.str();
}

std::string padded(std::string s, size_t width) {
    if (s.size() < width)
        s.resize(width, ' ');
    return s + " ";
}

}  // namespace

std::string coverageText(const nlohmann::json& policies, const nlohmann::json& domains) {
    const nlohmann::json* first = nullptr;
    for (const auto& p : policies)
        if (p.contains("coverage") && !p["coverage"].empty()) {
            first = &p["coverage"];
            break;
        }
    if (!first || domains.empty())
        return "";
    std::vector<double> weights;
    std::string ids;
    for (const auto& d : domains) {
        weights.push_back(d["weight"].get<double>());
        ids += (ids.empty() ? "" : "/") + d["id"].get<std::string>();
    }
    const size_t cell = 5 * domains.size() + 1;
    std::ostringstream o;
    o << "coverage: share of each domain's study items seen (domains " << ids
      << "); task statements seen within the first " << (*first)["early_days"].get<int>()
      << " day(s); minutes by domain against the blueprint weights " << perDomain(weights) << "\n";
    o << padded("policy", 11);
    for (const auto& cp : (*first)["checkpoints"])
        o << padded("day " + std::to_string(cp["day"].get<int>()) + " (" +
                        std::to_string(cp["percent"].get<int>()) + " %)",
                    cell);
    o << "TS-early  missing-TS  time-share\n";
    for (const auto& p : policies) {
        if (!p.contains("coverage") || p["coverage"].empty())
            continue;
        const auto& c = p["coverage"];
        o << padded(p["policy"].get<std::string>(), 11);
        for (const auto& cp : c["checkpoints"])
            o << padded(perDomain(cp["seen_by_domain"]), cell);
        std::ostringstream early;
        early.setf(std::ios::fixed);
        early.precision(3);
        early << c["statements_seen_early"].get<double>();
        o << padded(early.str(), 9) << padded(std::to_string(c["learners_missing_statement"].get<int>()), 11)
          << perDomain(c["time_share_by_domain"]) << "\n";
    }
    return o.str();
}

}  // namespace retain::sim
