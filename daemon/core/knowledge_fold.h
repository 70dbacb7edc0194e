#pragma once
// The knowledge model of a learner, derived from their folded answers: every answer that has not been
// undone, in fold order (hlc, id), across all items. A function of the set of events only, so every
// replica with the same events computes the same abilities.

#include <memory>

#include "core/content_pack.h"
#include "core/knowledge_model.h"
#include "core/learner_model.h"

namespace retain::core {

std::unique_ptr<KnowledgeModel> foldKnowledge(const LearnerModel& model, const ContentPack& pack);

}  // namespace retain::core
