#include "core/event_check.h"

#include "core/ids.h"

namespace retain::core {

namespace {

bool validItemId(const std::string& id) {
    return !id.empty() && id.size() <= 128;
}

std::optional<std::string> checkPayload(const v1::Event& e) {
    switch (e.payload_case()) {
        case v1::Event::kLearnerCreated:
            if (!isValidLearnerName(e.learner_created().name()))
                return "learner_created.name is not a valid learner name";
            return std::nullopt;
        case v1::Event::kAnswer: {
            const auto& a = e.answer();
            if (!validItemId(a.item_id()))
                return "answer.item_id must be 1-128 characters";
            if (a.rating() < v1::AGAIN || a.rating() > v1::EASY)
                return "answer.rating must be AGAIN, HARD, GOOD or EASY";
            if (a.chosen_options_size() > 64)
                return "answer.chosen_options has more than 64 entries";
            if (a.session_id().size() > 128)
                return "answer.session_id is longer than 128 characters";
            return std::nullopt;
        }
        case v1::Event::kUndo:
            if (!isValidEventId(e.undo().answer_event_id()))
                return "undo.answer_event_id is not an event id";
            return std::nullopt;
        case v1::Event::kSuspension:
            if (!validItemId(e.suspension().item_id()))
                return "suspension.item_id must be 1-128 characters";
            return std::nullopt;
        case v1::Event::kSetting:
            if (e.setting().key().empty() || e.setting().key().size() > 64 ||
                e.setting().value().size() > 256)
                return "setting.key must be 1-64 characters and setting.value at most 256";
            return std::nullopt;
        case v1::Event::kMockExam:
        case v1::Event::kSession:
            return std::nullopt;
        case v1::Event::kParameters:
            if (e.parameters().w_size() != 21)
                return "parameters.w must have 21 FSRS-6 weights";
            return std::nullopt;
        case v1::Event::PAYLOAD_NOT_SET:
            break;
    }
    return "the event has no payload this version knows (a newer peer's event kind?)";
}

}  // namespace

std::optional<std::string> checkForeignEvent(const v1::Event& e, const std::string& learnerId) {
    const std::string name = "event \"" + e.id().substr(0, 40) + "\": ";
    if (!isValidEventId(e.id()))
        return name + "id must be \"<16 hex digits>-<sequence>\"";
    if (e.learner_id() != learnerId)
        return name + "learner_id " + e.learner_id().substr(0, 40) + " is not the learner being synced (" +
               learnerId + ")";
    if (e.hlc() == 0 || e.wall_time_ms() <= 0)
        return name + "hlc and wall_time_ms must be set";
    // The HLC's physical part and the wall time come from the same replica clock: far apart means forged.
    const int64_t physical = static_cast<int64_t>(e.hlc() >> 16);
    if (physical < e.wall_time_ms() - 86'400'000LL || physical > e.wall_time_ms() + 86'400'000LL * 365)
        return name + "hlc is inconsistent with wall_time_ms";
    if (e.ByteSizeLong() > kMaxEventBytes)
        return name + "larger than " + std::to_string(kMaxEventBytes / 1024) + " KiB";
    if (auto problem = checkPayload(e))
        return name + *problem;
    return std::nullopt;
}

}  // namespace retain::core
