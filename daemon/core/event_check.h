#pragma once
// Checks of events before they are stored: an event that arrives from another replica (sync) is stored
// only when it is well-formed, belongs to the learner the caller is allowed to write, and every field of
// its payload is in range. Pure and cheap: the caller passes the time.

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

// Earliest time an event may carry (wall time, hybrid clock, mock start and finish): 1990-01-01T00:00Z,
// the earliest review ImportReviews accepts, so that nothing the daemon writes is refused by a peer.
inline constexpr int64_t kEarliestEventMs = 631'152'000'000;
// How far an event's times may be ahead of the checker's clock (clock skew between machines). Times
// further ahead would drag every replica's hybrid clock into the future.
inline constexpr int64_t kMaxEventAheadMs = 86'400'000;
// Longest response time of an answer (imported reviews included).
inline constexpr uint32_t kMaxResponseMs = 86'400'000;
// Option indexes of an answer are 0..kMaxOptionIndex.
inline constexpr uint32_t kMaxOptionIndex = 63;
// Most questions in a mock exam (real exam forms have at most about 180).
inline constexpr int kMaxMockQuestions = 200;
// Most domains in a mock exam result.
inline constexpr int kMaxMockDomains = 64;
// Largest scaled score of a mock exam result (real exams report at most 1,000).
inline constexpr uint32_t kMaxScaledScore = 10'000;
// Largest log loss of adopted FSRS parameters (a mean loss is at most -ln(1e-9) ~ 21).
inline constexpr double kMaxLogLoss = 100.0;

// nullopt when every field of `event` is in range at time `nowMs` (milliseconds since the Unix epoch),
// else what is wrong, naming the event and the field, e.g.
// "event \"3f..-7\": answer.rating must be AGAIN, HARD, GOOD or EASY". Does not look at learner_id.
// Never quotes more than 40 characters of a string from the event.
std::optional<std::string> checkEvent(const v1::Event& event, int64_t nowMs);

// checkEvent, and the event belongs to `learnerId` (the learner the caller may write).
std::optional<std::string> checkForeignEvent(const v1::Event& event, const std::string& learnerId,
                                             int64_t nowMs);

}  // namespace retain::core
