#pragma once
// Sync tokens: 32 random bytes from the OS CSPRNG (OpenSSL RAND_bytes), shown once as 64 hex digits.
// The server keeps only their SHA-256, and compares hashes in constant time.

#include <optional>
#include <string>
#include <string_view>

namespace retain::storage {

inline constexpr size_t kTokenHexDigits = 64;
inline constexpr size_t kTokenPrefixDigits = 8;

// A new token; nullopt only when the CSPRNG fails.
std::optional<std::string> newSyncToken();
// Lower-case hex SHA-256 of the token text.
std::string hashToken(std::string_view token);
// Constant-time equality of two strings of the same length (false for different lengths).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace retain::storage
