// Fuzz target: core::checkEvent and core::checkForeignEvent on any serialised retain.v1.Event.
// Invariants: the two agree; a refusal names the event, stays short (also when any one string field is
// 1 KiB longer, stretch.h) and shows no control character; an event that passes still passes after
// re-serialising and re-parsing it (what a replica stores is what its peers check).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/event_check.h"
#include "fuzz_support.h"
#include "stretch.h"

using namespace retain;

namespace {

void checkRefusal(const std::optional<std::string>& problem) {
    if (!problem)
        return;
    RETAIN_FUZZ_CHECK(problem->rfind("event \"", 0) == 0, *problem);
    RETAIN_FUZZ_CHECK(problem->size() <= fuzz::kMaxMessageBytes, problem->substr(0, 200));
    RETAIN_FUZZ_CHECK(std::none_of(problem->begin(), problem->end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }),
                      *problem);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silenceProtobufLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    v1::Event event;
    if (!event.ParseFromArray(data, static_cast<int>(size)))
        return 0;
    const auto problem = core::checkEvent(event, fuzz::kNowMs);
    const auto foreign = core::checkForeignEvent(event, fuzz::kLearner, fuzz::kNowMs);
    checkRefusal(problem);
    checkRefusal(foreign);
    fuzz::forEachStretched(event, [](const v1::Event& stretched) {
        checkRefusal(core::checkForeignEvent(stretched, fuzz::kLearner, fuzz::kNowMs));
    });
    // checkForeignEvent is checkEvent plus the learner.
    if (!foreign)
        RETAIN_FUZZ_CHECK(!problem && event.learner_id() == fuzz::kLearner,
                          problem.value_or("wrong learner"));
    if (!problem && event.learner_id() == fuzz::kLearner)
        RETAIN_FUZZ_CHECK(!foreign, *foreign);
    if (problem)
        return 0;

    std::string bytes;
    RETAIN_FUZZ_CHECK(event.SerializeToString(&bytes), "an accepted event must serialise");
    v1::Event again;
    RETAIN_FUZZ_CHECK(again.ParseFromString(bytes), "an accepted event must parse after serialising");
    const auto second = core::checkEvent(again, fuzz::kNowMs);
    RETAIN_FUZZ_CHECK(!second, *second);
    RETAIN_FUZZ_CHECK(again.SerializeAsString() == bytes, "serialising is not stable");
    return 0;
}
