#pragma once
// Mock exams: drawing a blueprint-shaped form and scoring it like the real exam.

#include <cstdint>
#include <string>
#include <vector>

#include "core/content_pack.h"
#include "core/learner_model.h"

namespace retain::core {

struct FormQuestion {
    size_t itemIndex = 0;  // into ContentPack::items()
    bool scored = true;    // unscored (pretest) questions are not marked on the form
    // The order the options are shown in: content-order indexes, first shown first (a shuffle).
    std::vector<uint32_t> optionOrder;
};

// Draws `total` questions (default: the form's total) in blueprint proportions: per domain by weight
// (largest remainder), spread over the domain's task statements. Preference, in order: mock-reserve
// questions never answered (a mock measures transfer to unseen questions), study questions never
// answered, questions not answered in the last 30 days (longest ago first), then the rest; random
// within a tier. A random `unscored` share of the form (the form's unscored/total ratio) is marked
// unscored. Deterministic for a seed.
std::vector<FormQuestion> drawMockForm(const Exam& exam, const ContentPack& pack, const LearnerModel& model,
                                       int64_t nowMs, uint64_t seed, int total = 0);

struct MockScore {
    int scoredCorrect = 0;
    int scoredTotal = 0;
    double scaledScore = 0;
    bool passed = false;
    struct Domain {
        std::string domainId;
        int correct = 0;
        int total = 0;
        bool meets = false;
    };
    std::vector<Domain> domains;
    std::vector<bool> correct;  // per question, all-or-nothing
};

// Scores chosen options (content-order indexes per question; empty = unanswered = wrong).
MockScore scoreMock(const Exam& exam, const ContentPack& pack, const std::vector<FormQuestion>& form,
                    const std::vector<std::vector<uint32_t>>& chosen);

// All-or-nothing: the chosen set equals the correct set.
bool isCorrectChoice(const v1::Item& item, std::vector<uint32_t> chosen);

}  // namespace retain::core
