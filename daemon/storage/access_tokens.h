#pragma once
// The local daemon's access tokens: credentials of TCP clients (docs/security.md). Like sync tokens, the
// text is shown once and only its SHA-256 is stored. Not thread-safe: used from the write strand only.

#include <string>
#include <vector>

#include "storage/sqlite.h"

namespace retain::storage {

struct AccessTokenRow {
    std::string hash;       // hashToken() of the token text
    std::string prefix;     // first kTokenPrefixDigits of the text
    std::string learnerId;  // empty: an admin token
    std::string label;
    int64_t createdMs = 0;
};

Result<std::vector<AccessTokenRow>> loadAccessTokens(Database& db);
core::Status insertAccessToken(Database& db, const AccessTokenRow& row);
// Deletes the tokens with this prefix; returns how many.
Result<uint32_t> deleteAccessTokens(Database& db, const std::string& prefix);

}  // namespace retain::storage
