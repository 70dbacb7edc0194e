#include "storage/salvage.h"

#include <filesystem>

#include "retain/v1/events.pb.h"
#include "storage/event_store.h"
#include "storage/schema.h"

namespace retain::storage {

using core::Error;
using core::ErrorCode;

namespace {

constexpr size_t kMaxLossLines = 200;

void noteLoss(SalvageReport& r, const std::string& line) {
    ++r.eventsLost;
    if (r.losses.size() < kMaxLossLines)
        r.losses.push_back(line);
}

// Copies a small table row by row; rows that cannot be read are skipped (they are configuration, which
// the learner can set again).
void copyTable(Database& from, Database& to, const std::string& select, const std::string& insert,
               int columns) {
    auto st = from.prepare(select);
    auto ins = to.prepare(insert);
    if (!st || !ins)
        return;
    while (true) {
        auto row = st->step();
        if (!row || !*row)
            return;
        for (int c = 0; c < columns; ++c) {
            if (st->columnIsNull(c))
                ins->bindNull(c + 1);
            else
                ins->bind(c + 1, st->columnText(c));
        }
        (void)ins->run();  // run() resets the statement for the next row
    }
}

}  // namespace

core::Result<SalvageReport> salvageDatabase(const std::string& from, const std::string& to) {
    std::error_code ec;
    if (std::filesystem::exists(to, ec))
        return Error{ErrorCode::AlreadyExists, to + " already exists; give a new file for the salvaged copy"};
    auto src = Database::open(from, false, true);
    if (!src)
        return Error{src.error().code, "cannot open " + from + " to salvage it: " + src.error().message};
    auto dst = openRetainDatabase(to);
    if (!dst)
        return dst.error();
    SalvageReport report;
    EventStore store(std::move(*dst));
    Transaction tx(store.database());
    if (auto s = tx.begin(); !s)
        return s.error();

    // Learners first (events reference them).
    auto learners = src->prepare("SELECT id, name, created_ms FROM learners ORDER BY rowid");
    if (!learners)
        return Error{ErrorCode::DataLoss,
                     from + ": the learners table cannot be read: " + learners.error().message};
    while (true) {
        auto row = learners->step();
        if (!row) {
            report.losses.push_back("the rest of the learners table is unreadable: " + row.error().message);
            break;
        }
        if (!*row)
            break;
        if (store.addLearner({learners->columnText(0), learners->columnText(1), learners->columnInt(2)}))
            ++report.learners;
    }

    // Events in local order; a malformed page ends a scan, which resumes after the last sequence read.
    int64_t after = 0;
    for (int restarts = 0; restarts < 10000; ++restarts) {
        auto events = src->prepare(
            "SELECT seq, learner_id, id, body FROM events WHERE seq > ? ORDER BY seq LIMIT 100000");
        if (!events)
            return Error{ErrorCode::DataLoss,
                         from + ": the event log cannot be read: " + events.error().message};
        events->bind(1, after);
        bool progressed = false, failed = false;
        while (true) {
            auto row = events->step();
            if (!row) {
                noteLoss(report, "after seq " + std::to_string(after) + ": unreadable rows (" +
                                     row.error().message + "); resuming after them");
                failed = true;
                break;
            }
            if (!*row)
                break;
            progressed = true;
            after = events->columnInt(0);
            v1::Event e;
            const auto blob = events->columnBlob(3);
            const std::string where = "seq " + std::to_string(after) + " (learner " +
                                      events->columnText(1).substr(0, 8) + "…, event " +
                                      events->columnText(2).substr(0, 40) + ")";
            if (!e.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
                noteLoss(report, where + ": the body does not parse");
                continue;
            }
            if (e.learner_id() != events->columnText(1) || e.id() != events->columnText(2)) {
                noteLoss(report, where + ": the body belongs to another event");
                continue;
            }
            auto appended = insertEvents(store.database(), {e});
            if (!appended) {
                noteLoss(report, where + ": " + appended.error().message);
                continue;
            }
            ++report.eventsCopied;
        }
        if (!failed && !progressed)
            break;  // the end of the log
        if (failed)
            ++after;  // skip the row that could not be read
    }

    copyTable(*src, store.database(),
              "SELECT learner_id, server, token, ca_file, interval_seconds FROM sync_config",
              "INSERT OR IGNORE INTO sync_config (learner_id, server, token, ca_file, interval_seconds) "
              "VALUES (?, ?, ?, ?, CAST(? AS INTEGER))",
              5);
    copyTable(*src, store.database(),
              "SELECT token_hash, prefix, learner_id, label, created_ms FROM access_tokens",
              "INSERT OR IGNORE INTO access_tokens (token_hash, prefix, learner_id, label, created_ms) "
              "VALUES (?, ?, ?, ?, CAST(? AS INTEGER))",
              5);
    if (auto s = tx.commit(); !s)
        return s.error();
    return report;
}

}  // namespace retain::storage
