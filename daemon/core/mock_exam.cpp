#include "core/mock_exam.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/readiness.h"

namespace retain::core {

bool isCorrectChoice(const v1::Item& item, std::vector<uint32_t> chosen) {
    std::sort(chosen.begin(), chosen.end());
    std::vector<uint32_t> right;
    for (int i = 0; i < item.options_size(); ++i)
        if (item.options(i).correct())
            right.push_back(static_cast<uint32_t>(i));
    return !chosen.empty() && chosen == right;
}

std::vector<FormQuestion> drawMockForm(const Exam& exam, const ContentPack& pack, const LearnerModel& model,
                                       int64_t nowMs, uint64_t seed, int total) {
    const auto& bp = exam.blueprint();
    const int formTotal = static_cast<int>(bp.form().total_questions());
    if (total <= 0)
        total = formTotal;
    std::mt19937_64 rng(seed);
    // Questions per domain for this form size, in blueprint proportions.
    v1::Blueprint sized = bp;
    sized.mutable_form()->set_scored_questions(static_cast<uint32_t>(total));
    const auto perDomain = questionsPerDomain(sized);
    const int64_t recent = nowMs - 30LL * 86'400'000;
    std::vector<FormQuestion> form;
    for (int d = 0; d < bp.domains_size(); ++d) {
        // Candidates of the domain, ranked: unseen-recently first, then by last answer time; random within
        // ties.
        struct Candidate {
            size_t index;
            int tier;
            int64_t lastMs;
            uint64_t tie;
            int statement;
        };
        std::vector<Candidate> candidates;
        for (const auto& ts : exam.taskStatements()) {
            if (ts.domain != &bp.domains(d))
                continue;
            for (const auto* list : {&exam.reserveOf(ts.index), &exam.itemsOf(ts.index)}) {
                for (size_t idx : *list) {
                    const auto& item = *pack.itemAt(idx).item;
                    if (item.kind() == v1::FLASHCARD)
                        continue;
                    const auto* t = model.track(item.id());
                    const int64_t last = t && t->memory ? t->lastMs : 0;
                    const int tier = last == 0 ? (item.mock_reserve() ? 0 : 1) : last > recent ? 3 : 2;
                    candidates.push_back({idx, tier, last, rng(), ts.index});
                }
            }
        }
        std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
            if (a.tier != b.tier)
                return a.tier < b.tier;
            if (a.lastMs != b.lastMs)
                return a.lastMs < b.lastMs;
            return a.tie < b.tie;
        });
        // Tier by tier, round-robin over the domain's task statements (from a random one), so a better
        // tier is used up across the whole domain before a worse one and every statement is represented.
        int need = perDomain[static_cast<size_t>(d)];
        for (int tier = 0; tier < 4 && need > 0; ++tier) {
            std::vector<std::vector<size_t>> byStatement(exam.taskStatements().size());
            for (const auto& c : candidates)
                if (c.tier == tier)
                    byStatement[static_cast<size_t>(c.statement)].push_back(c.index);
            std::vector<size_t> cursor(byStatement.size(), 0);
            const size_t first = static_cast<size_t>(rng() % byStatement.size());
            bool progress = true;
            while (need > 0 && progress) {
                progress = false;
                for (size_t k = 0; k < byStatement.size() && need > 0; ++k) {
                    const size_t s = (first + k) % byStatement.size();
                    if (cursor[s] < byStatement[s].size()) {
                        form.push_back({byStatement[s][cursor[s]++], true, {}});
                        --need;
                        progress = true;
                    }
                }
            }
        }
    }
    std::shuffle(form.begin(), form.end(), rng);
    // Options are shown shuffled, as in study: the file's order must not be a cue.
    for (auto& q : form) {
        q.optionOrder.resize(static_cast<size_t>(pack.itemAt(q.itemIndex).item->options_size()));
        std::iota(q.optionOrder.begin(), q.optionOrder.end(), 0u);
        std::shuffle(q.optionOrder.begin(), q.optionOrder.end(), rng);
    }
    // Unscored questions: the real form's share, placed at random and not revealed until the report.
    const int unscored = formTotal > 0 ? static_cast<int>(bp.form().unscored_questions()) *
                                             static_cast<int>(form.size()) / formTotal
                                       : 0;
    std::vector<size_t> positions(form.size());
    std::iota(positions.begin(), positions.end(), 0);
    std::shuffle(positions.begin(), positions.end(), rng);
    for (int i = 0; i < unscored && i < static_cast<int>(positions.size()); ++i)
        form[positions[static_cast<size_t>(i)]].scored = false;
    return form;
}

MockScore scoreMock(const Exam& exam, const ContentPack& pack, const std::vector<FormQuestion>& form,
                    const std::vector<std::vector<uint32_t>>& chosen) {
    const auto& bp = exam.blueprint();
    MockScore s;
    for (const auto& d : bp.domains())
        s.domains.push_back({d.id(), 0, 0, false});
    for (size_t q = 0; q < form.size(); ++q) {
        const auto& ref = pack.itemAt(form[q].itemIndex);
        const bool ok = q < chosen.size() && isCorrectChoice(*ref.item, chosen[q]);
        s.correct.push_back(ok);
        if (!form[q].scored)
            continue;
        ++s.scoredTotal;
        if (ok)
            ++s.scoredCorrect;
        for (auto& d : s.domains)
            if (ref.statement && d.domainId == ref.statement->domain->id()) {
                ++d.total;
                if (ok)
                    ++d.correct;
            }
    }
    const double cut = bp.form().assumed_cut_fraction();
    s.scaledScore = scaledScore(
        bp.form(),
        static_cast<double>(s.scoredCorrect) * bp.form().scored_questions() / std::max(1, s.scoredTotal),
        static_cast<int>(bp.form().scored_questions()));
    s.passed = s.scaledScore >= bp.form().passing_scaled_score();
    for (auto& d : s.domains)
        d.meets = d.total > 0 && static_cast<double>(d.correct) / d.total >= cut;
    return s;
}

}  // namespace retain::core
