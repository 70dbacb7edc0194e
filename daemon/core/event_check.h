#pragma once
// Checks of events that arrive from another replica (sync): an event is stored only when it is
// well-formed and belongs to the learner the caller is allowed to write. Pure and cheap.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "retain/v1/events.pb.h"

namespace retain::core {

// The sync protocol this build speaks (HelloRequest/HelloResponse.protocol_version). A peer speaking
// another version is refused with a message naming both.
inline constexpr uint32_t kSyncProtocolVersion = 1;
// Most events in one PushBatch / PullBatch.
inline constexpr uint32_t kMaxSyncBatchEvents = 1000;

// Largest serialised event accepted from a peer (a mock exam with 65 questions is about 3 KB).
inline constexpr size_t kMaxEventBytes = 64 * 1024;

// nullopt when `event` may be stored for `learnerId`, else what is wrong, naming the event, e.g.
// "event 3f..-7: learner_id is 32 hex digits of another learner".
std::optional<std::string> checkForeignEvent(const v1::Event& event, const std::string& learnerId);

}  // namespace retain::core
