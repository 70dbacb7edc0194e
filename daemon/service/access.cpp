#include "service/access.h"

#include <mutex>

#include "core/ids.h"
#include "storage/sync_token.h"

namespace retain::service {

using core::Error;
using core::ErrorCode;

std::string_view bearerTokenOf(std::string_view authorization) {
    constexpr std::string_view kBearer = "Bearer ";
    return authorization.substr(0, kBearer.size()) == kBearer ? authorization.substr(kBearer.size())
                                                              : std::string_view();
}

void AccessControl::replaceAll(std::vector<Entry> entries) {
    std::unordered_map<std::string, Principal> next;
    for (auto& e : entries)
        next[e.hash] = std::move(e.principal);
    std::unique_lock lock(m_mutex);
    m_byHash = std::move(next);
}

void AccessControl::add(Entry entry) {
    std::unique_lock lock(m_mutex);
    m_byHash[entry.hash] = std::move(entry.principal);
}

void AccessControl::removePrefix(const std::string& prefix) {
    std::unique_lock lock(m_mutex);
    std::erase_if(m_byHash, [&](const auto& kv) { return kv.second.tokenPrefix == prefix; });
}

core::Result<Principal> AccessControl::authenticate(Transport transport,
                                                    const std::string& authorization) const {
    if (transport == Transport::OwnerSocket)
        return Principal{Role::Owner, {}, {}, {}};
    if (authorization.empty())
        return Error{ErrorCode::Unauthenticated,
                     "this TCP listener needs an access token: send \"authorization: Bearer <token>\" "
                     "(create one on the daemon's machine with `retainctl access create`)"};
    const std::string_view token = bearerTokenOf(authorization);
    if (!core::isHex(std::string(token), storage::kTokenHexDigits))
        return Error{ErrorCode::Unauthenticated,
                     "the authorization header must be \"Bearer <64 hex digits>\""};
    // The lookup is by the token's SHA-256: comparing hashes reveals nothing usable about the token.
    const std::string hash = storage::hashToken(token);
    std::shared_lock lock(m_mutex);
    auto it = m_byHash.find(hash);
    if (it == m_byHash.end())
        return Error{ErrorCode::Unauthenticated, "unknown or revoked access token"};
    return it->second;
}

std::optional<Error> authorize(const Principal& who, Access access, const std::string* learner) {
    auto denied = [](const std::string& what) { return Error{ErrorCode::PermissionDenied, what}; };
    switch (access) {
        case Access::Authenticated:
        case Access::LearnerList:
            return std::nullopt;
        case Access::Owner:
            if (who.role == Role::Owner)
                return std::nullopt;
            return denied("only the daemon's owner may do this, over its local unix socket");
        case Access::Admin:
            if (who.isAdmin())
                return std::nullopt;
            return denied("this call needs the daemon's owner (its unix socket) or an admin token");
        case Access::OwnLearnerOrNone:
            if (learner && learner->empty())
                return std::nullopt;
            [[fallthrough]];
        case Access::OwnLearner:
            if (who.isAdmin())
                return std::nullopt;
            if (learner && !learner->empty() && (*learner == who.learnerId || *learner == who.learnerName))
                return std::nullopt;
            return denied("this access token is for another learner");
    }
    return denied("no access rule for this call");
}

}  // namespace retain::service
