#include "core/knowledge_fold.h"

#include <algorithm>
#include <vector>

namespace retain::core {

std::unique_ptr<KnowledgeModel> foldKnowledge(const LearnerModel& model, const ContentPack& pack) {
    auto knowledge = std::make_unique<KnowledgeModel>(model.exam());
    struct Ev {
        uint64_t hlc;
        const std::string* id;
        const ItemRef* ref;
        bool correct;
        int64_t day;
    };
    std::vector<Ev> evidence;
    for (const auto& [itemId, track] : model.tracks()) {
        const auto* ref = pack.item(itemId);
        if (!ref)
            continue;
        for (const auto& a : track.answers)
            if (!a.undone)
                evidence.push_back({a.hlc, &a.eventId, ref, a.correct, model.days().dayOf(a.wallMs)});
    }
    std::sort(evidence.begin(), evidence.end(),
              [](const Ev& a, const Ev& b) { return foldsBefore(a.hlc, *a.id, b.hlc, *b.id); });
    for (const auto& ev : evidence)
        knowledge->observe(*ev.ref, ev.correct, ev.day);
    return knowledge;
}

}  // namespace retain::core
