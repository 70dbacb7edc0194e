#pragma once
// Random identifiers and their syntax checks.

#include <string>
#include <string_view>

namespace retain::core {

// n random lower-case hex digits from a CSPRNG-seeded generator.
std::string randomHex(size_t digits);
// Learner ids: 32 hex digits. Replica ids: 16 hex digits.
std::string newLearnerId();
std::string newReplicaId();
bool isHex(std::string_view s, size_t digits);
// Learner names: 1-64 of [A-Za-z0-9._-].
bool isValidLearnerName(std::string_view name);
// Event ids: "<16 hex>-<decimal sequence>".
bool isValidEventId(std::string_view id);

// An untrusted string as it may appear in a message: at most 40 bytes (cut at a UTF-8 character
// boundary, "..." marking the cut), control characters shown as '?'.
std::string shownText(const std::string& s);

}  // namespace retain::core
