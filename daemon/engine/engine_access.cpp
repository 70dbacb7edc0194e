// Access tokens for TCP clients (docs/security.md): created, listed and revoked over the owner's socket.
#include "core/ids.h"
#include "engine/engine.h"
#include "storage/access_tokens.h"
#include "storage/sync_token.h"

namespace retain::engine {

namespace {
std::string learnerNameOf(const std::unordered_map<std::string, std::unique_ptr<LearnerSlot>>& learners,
                          const std::string& id) {
    auto it = learners.find(id);
    return it == learners.end() ? std::string() : it->second->model.name();
}
}  // namespace

Result<IssuedAccessToken> Engine::createAccessToken(const v1::CreateAccessTokenRequest& request) {
    AccessGrant grant;
    if (!request.admin()) {
        auto learner = getLearner(request.learner());
        if (!learner)
            return learner.error();
        grant.row.learnerId = learner->id();
        grant.learnerName = learner->name();
    }
    auto token = storage::newSyncToken();
    if (!token)
        return core::Error{core::ErrorCode::Internal, "the system's random number generator failed"};
    grant.row.hash = storage::hashToken(*token);
    grant.row.prefix = token->substr(0, storage::kTokenPrefixDigits);
    grant.row.label = request.label();
    grant.row.createdMs = m_clock.nowMs();
    if (auto s = storage::insertAccessToken(m_store->database(), grant.row); !s)
        return s.error();
    IssuedAccessToken out;
    out.response.set_token(*token);
    out.response.set_prefix(grant.row.prefix);
    out.grant = std::move(grant);
    return out;
}

Result<std::vector<AccessGrant>> Engine::accessGrants() {
    auto rows = storage::loadAccessTokens(m_store->database());
    if (!rows)
        return rows.error();
    std::vector<AccessGrant> out;
    for (auto& row : *rows) {
        AccessGrant g;
        g.learnerName = learnerNameOf(m_learners, row.learnerId);
        g.row = std::move(row);
        out.push_back(std::move(g));
    }
    return out;
}

Result<v1::ListAccessTokensResponse> Engine::listAccessTokens() {
    auto grants = accessGrants();
    if (!grants)
        return grants.error();
    v1::ListAccessTokensResponse out;
    for (const auto& g : *grants) {
        auto* t = out.add_tokens();
        t->set_prefix(g.row.prefix);
        t->set_learner_id(g.row.learnerId);
        t->set_admin(g.row.learnerId.empty());
        t->set_label(g.row.label);
        t->set_created_ms(g.row.createdMs);
    }
    return out;
}

Result<v1::RevokeAccessTokenResponse> Engine::revokeAccessToken(const std::string& prefix) {
    auto n = storage::deleteAccessTokens(m_store->database(), prefix);
    if (!n)
        return n.error();
    if (*n == 0)
        return core::notFound("no access token has the prefix " + prefix + " (see `retainctl access list`)");
    v1::RevokeAccessTokenResponse out;
    out.set_revoked(*n);
    return out;
}

}  // namespace retain::engine
