#include "storage/access_tokens.h"

namespace retain::storage {

Result<std::vector<AccessTokenRow>> loadAccessTokens(Database& db) {
    auto st = db.prepare(
        "SELECT token_hash, prefix, coalesce(learner_id, ''), label, created_ms FROM access_tokens "
        "ORDER BY created_ms, prefix");
    if (!st)
        return st.error();
    std::vector<AccessTokenRow> out;
    auto s = st->forEachRow([&]() -> Status {
        out.push_back(
            {st->columnText(0), st->columnText(1), st->columnText(2), st->columnText(3), st->columnInt(4)});
        return core::okStatus();
    });
    if (!s)
        return s.error();
    return out;
}

Status insertAccessToken(Database& db, const AccessTokenRow& row) {
    auto st = db.prepare(
        "INSERT INTO access_tokens (token_hash, prefix, learner_id, label, created_ms) VALUES (?, ?, ?, ?, "
        "?)");
    if (!st)
        return st.error();
    st->bind(1, row.hash).bind(2, row.prefix).bind(4, row.label).bind(5, row.createdMs);
    if (row.learnerId.empty())
        st->bindNull(3);
    else
        st->bind(3, row.learnerId);
    return st->run();
}

Result<uint32_t> deleteAccessTokens(Database& db, const std::string& prefix) {
    auto st = db.prepare("DELETE FROM access_tokens WHERE prefix = ?");
    if (!st)
        return st.error();
    st->bind(1, prefix);
    if (auto s = st->run(); !s)
        return s.error();
    return static_cast<uint32_t>(db.changes());
}

}  // namespace retain::storage
