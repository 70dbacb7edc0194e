// Fuzz target: core::parseReviewLogCsv (ImportReviews and retainctl import) on any text, and
// parseIso8601Ms on the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/review_log_csv.h"
#include "fuzz_support.h"

using namespace retain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto text = fuzz::asText(data, size);
    (void)core::parseIso8601Ms(text);

    auto parsed = core::parseReviewLogCsv(text);
    if (!parsed) {
        const auto& message = parsed.error().message;
        RETAIN_FUZZ_CHECK(parsed.error().code == core::ErrorCode::InvalidArgument, message);
        RETAIN_FUZZ_CHECK(message.rfind("line ", 0) == 0, message);
        RETAIN_FUZZ_CHECK(message.size() <= fuzz::kMaxMessageBytes, message.substr(0, 200));
        return 0;
    }
    int previousLine = 1;  // the header
    for (const auto& record : *parsed) {
        RETAIN_FUZZ_CHECK(!record.cardId.empty(), "empty card id accepted");
        const int rating = static_cast<int>(record.rating);
        RETAIN_FUZZ_CHECK(rating >= 1 && rating <= 4, std::to_string(rating));
        RETAIN_FUZZ_CHECK(record.durationMs >= -1, std::to_string(record.durationMs));
        RETAIN_FUZZ_CHECK(record.line > previousLine, std::to_string(record.line));
        previousLine = record.line;
    }
    return 0;
}
