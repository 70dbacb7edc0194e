#pragma once
// Salvage (`retaind --salvage NEW.db`): when a database is damaged — a corrupt event body stops start-up, or
// SQLite reports a malformed page — copy every readable learner and event of it into a new database and
// say exactly what could not be read. The damaged file is opened read-only and never modified.

#include <string>
#include <vector>

#include "core/result.h"

namespace retain::storage {

struct SalvageReport {
    uint64_t learners = 0;
    uint64_t eventsCopied = 0;
    uint64_t eventsLost = 0;
    // One line per loss: "seq 1234 (learner 3f9c…, event 0a1b…-17): the body does not parse", at most 200.
    std::vector<std::string> losses;
};

// Copies `from` into the new file `to` (which must not exist). The copy is a new replica (no replica id:
// its ids never collide with the damaged one's, which a sync server may hold) and keeps the learners, the
// events that parse, and the replica's sync configuration and access tokens.
core::Result<SalvageReport> salvageDatabase(const std::string& from, const std::string& to);

}  // namespace retain::storage
