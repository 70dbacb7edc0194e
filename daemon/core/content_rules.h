#pragma once
// The rules content must follow. validate* are hard errors (the loader refuses the pack); lint* are
// the linter's additional style rules (retainctl content lint), also errors there.

#include <string>
#include <utility>
#include <vector>

#include "retain/v1/content.pb.h"

namespace retain::core {

std::vector<std::string> validateBlueprint(const retain::v1::Blueprint& blueprint);
std::vector<std::string> validateItem(const retain::v1::Item& item);
// Style: the multiple-response stem says how many to choose, formatting stays in the safe subset,
// references are https; a flashcard asks one thing and answers in at most kMaxFlashcardAnswerWords;
// a question's keys are about as long as its distractors and no option points at another (they are
// shuffled when shown).
std::vector<std::string> lintItem(const retain::v1::Item& item);
inline constexpr int kMaxFlashcardAnswerWords = 40;
// Mean key length over mean distractor length, either way.
inline constexpr double kMaxKeyLengthRatio = 1.3;

// Pairs of items whose prompts are the same (ignoring case, spaces and punctuation), wherever they are.
std::vector<std::pair<size_t, size_t>> findSamePrompts(const std::vector<retain::v1::Item>& items);

// A pair of items whose text is almost the same (Jaccard similarity of word 3-shingles).
struct NearDuplicate {
    size_t first = 0;
    size_t second = 0;
    double similarity = 0;
};
// Pairs with similarity >= threshold among items (indexes into the vector).
std::vector<NearDuplicate> findNearDuplicates(const std::vector<retain::v1::Item>& items,
                                              double threshold = 0.7);

}  // namespace retain::core
