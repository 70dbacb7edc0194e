#pragma once
// Review-log import: the CSV format of FSRS review logs (as exported by py-fsrs / the FSRS tools),
//
//   card_id,review_rating,review_time,review_duration
//   1711684180217,1,2024-03-29T20:32:32.250000+00:00,25060
//
// card_id: any non-empty text; review_rating: 1 (Again) .. 4 (Easy); review_time: ISO 8601 date and
// time with seconds, an optional fraction and a zone (Z or +-HH:MM / +-HHMM; without a zone it is an
// error, since day boundaries depend on it); review_duration: whole milliseconds >= 0 (may be empty,
// meaning unknown). The header names the columns in any order; extra columns are ignored. Fields may
// be double-quoted. Blank lines are skipped; CRLF line ends are accepted.
//
// Never throws: the first bad row gives an InvalidArgument error whose message names the line (1 =
// the header), the column (1-based) with its name, and the reason, e.g.
// "line 7, column 2 (review_rating): expected 1..4, got \"5\"".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fsrs.h"
#include "core/result.h"

namespace retain::core {

struct ReviewLogRecord {
    std::string cardId;
    Rating rating = Rating::Good;
    int64_t timeMs = 0;       // Unix epoch milliseconds (UTC)
    int64_t durationMs = -1;  // -1 when the log does not say
    int line = 0;             // where it came from, for messages
};

Result<std::vector<ReviewLogRecord>> parseReviewLogCsv(std::string_view text);
// Reads and parses a file; an unreadable file is an InvalidArgument error naming the path.
Result<std::vector<ReviewLogRecord>> readReviewLogCsv(const std::string& path);

// Parses an ISO 8601 instant ("2024-03-29T20:32:32.25+02:00", "...Z") into Unix milliseconds;
// nullopt when malformed, out of range, or without a zone. Fractions beyond milliseconds are
// truncated.
std::optional<int64_t> parseIso8601Ms(std::string_view text);

}  // namespace retain::core
