// retainctl sync setup|now|status|disable (this daemon's sync) and
// retainctl sync-server add-learner|revoke|list (accounts on a daemon in sync-server mode)
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.h"

namespace retain::cli {
namespace {

std::string formatTime(int64_t ms) {
    if (ms <= 0)
        return "never";
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

void printStatus(const v1::SyncStatus& s) {
    if (!s.configured()) {
        std::cout << "sync: not set up (" << s.pending_events()
                  << " local events)\n  retainctl sync setup --server HOST:PORT --token TOKEN\n";
        return;
    }
    std::cout << "sync: " << s.server() << (s.in_progress() ? " (syncing now)" : "") << '\n'
              << "  last sync:       " << formatTime(s.last_sync_ms()) << '\n'
              << "  pending events:  " << s.pending_events() << '\n';
    if (s.last_pushed() || s.last_pulled())
        std::cout << "  last exchange:   " << s.last_pushed() << " pushed, " << s.last_pulled()
                  << " pulled\n";
    if (!s.last_error().empty())
        std::cout << "  last error:      " << s.last_error() << " (" << s.consecutive_failures()
                  << " failure(s) in a row)\n";
    if (s.next_attempt_ms())
        std::cout << "  next attempt:    " << formatTime(s.next_attempt_ms()) << '\n';
}

int notServer(const rpc::RpcError& e) {
    if (e.codeName == "UNIMPLEMENTED")
        return fail(
            "this daemon is not a sync server (start one with `retaind --sync-server --listen HOST:PORT "
            "--tls-cert FILE --tls-key FILE`, and point --daemon at its local socket)");
    return fail(e);
}

struct SetupArgs {
    std::string server, token, tokenFile, serverCa;
    uint32_t interval = 0;
};

}  // namespace

void registerSyncCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* sync = app.add_subcommand("sync", "sync this daemon's learner with a sync server");
    sync->require_subcommand(1);

    static SetupArgs a;
    auto* setup = sync->add_subcommand(
        "setup", "store the server and token, then sync (a new machine pulls the learner's whole history)");
    setup->add_option("--server", a.server, "sync server HOST:PORT (TLS unless loopback)")->required();
    setup->add_option(
        "--token", a.token,
        "the learner's token (from `retainctl sync-server add-learner`); prefer --token-file: a "
        "command line is visible to other users in ps and kept in shell history");
    setup->add_option("--token-file", a.tokenFile, "read the token from this file, or - for standard input");
    setup->add_option("--server-ca", a.serverCa, "PEM CA certificate that signed the server's certificate");
    setup->add_option("--interval", a.interval, "seconds between background syncs (default 300)")
        ->check(CLI::Range(30, 86400));
    setup->callback([&] {
        std::string token = a.token;
        if (!a.tokenFile.empty()) {
            auto read = rpc::tokenFromFile(a.tokenFile);
            if (!read) {
                exitCode = fail(read.error().message);
                return;
            }
            token = *read;
        }
        if (token.empty()) {
            exitCode = fail("give --token TOKEN or --token-file FILE");
            return;
        }
        auto client = g.connect();
        v1::SetupSyncRequest req;
        // Without --learner, the token's learner is synced (and adopted when this machine lacks it).
        if (!g.learner.empty()) {
            const auto id = learnerIdOrFail(*client, g, exitCode);
            if (id.empty())
                return;
            req.set_learner_id(id);
        }
        req.set_server(a.server);
        req.set_token(token);
        req.set_ca_file(a.serverCa);
        req.set_interval_seconds(a.interval);
        emit(client->setupSync(req), g, exitCode, printStatus);
    });

    auto withLearner = [&](auto call) {
        auto client = g.connect();
        const auto id = learnerIdOrFail(*client, g, exitCode);
        if (!id.empty())
            call(*client, id);
    };
    sync->add_subcommand("now", "push and pull now; waits for the outcome")->callback([&, withLearner] {
        withLearner([&](rpc::Client& c, const std::string& id) {
            v1::SyncNowRequest req;
            req.set_learner_id(id);
            emit(c.syncNow(req), g, exitCode, printStatus);
        });
    });
    sync->add_subcommand("status", "last sync, pending events, last error")->callback([&, withLearner] {
        withLearner([&](rpc::Client& c, const std::string& id) {
            v1::GetSyncStatusRequest req;
            req.set_learner_id(id);
            emit(c.syncStatus(req), g, exitCode, printStatus);
        });
    });
    sync->add_subcommand("disable", "stop syncing (nothing is deleted here or on the server)")
        ->callback([&, withLearner] {
            withLearner([&](rpc::Client& c, const std::string& id) {
                v1::DisableSyncRequest req;
                req.set_learner_id(id);
                emit(c.disableSync(req), g, exitCode, printStatus);
            });
        });

    auto* server = app.add_subcommand("sync-server", "accounts on a sync server (over its local socket)");
    server->require_subcommand(1);

    static std::string name, learnerId;
    auto* add = server->add_subcommand("add-learner",
                                       "create an account (or a new token for it); prints the token once");
    add->add_option("name", name, "account name, e.g. the learner's name")->required();
    add->add_option("--learner-id", learnerId,
                    "attach to this existing learner id (from `retainctl learner show`)");
    add->callback([&] {
        v1::AddSyncLearnerRequest req;
        req.set_name(name);
        req.set_learner_id(learnerId);
        auto r = g.connect()->addSyncLearner(req);
        if (!r) {
            exitCode = notServer(r.error());
            return;
        }
        if (g.json) {
            std::cout << toJson(*r) << '\n';
            return;
        }
        std::cout << "learner " << name << " (" << r->learner_id() << ")\n"
                  << "token: " << r->token() << "\n"
                  << "This token is shown once; the server keeps only its hash. On each machine, paste it\n"
                  << "at the prompt (it is read from standard input, so it stays out of ps and shell "
                     "history):\n"
                  << "  retainctl sync setup --server HOST:PORT --token-file -\n";
    });

    static std::string revokeWho, prefix;
    auto* revoke = server->add_subcommand("revoke", "revoke a learner's tokens (all, or one by --prefix)");
    revoke->add_option("learner", revokeWho, "account name or learner id")->required();
    revoke->add_option("--prefix", prefix, "only the token starting with these characters");
    revoke->callback([&] {
        auto client = g.connect();
        auto list = client->listSyncAccounts();
        if (!list) {
            exitCode = notServer(list.error());
            return;
        }
        std::string id;
        for (const auto& acc : list->accounts())
            if (acc.name() == revokeWho || acc.learner_id() == revokeWho)
                id = acc.learner_id();
        if (id.empty()) {
            exitCode = fail("no sync account named \"" + revokeWho + "\"");
            return;
        }
        v1::RevokeTokenRequest req;
        req.set_learner_id(id);
        req.set_token_prefix(prefix);
        emit(client->revokeSyncToken(req), g, exitCode, [](const v1::RevokeTokenResponse& r) {
            std::cout << "revoked " << r.revoked() << " token(s)\n";
        });
    });

    server->add_subcommand("list", "accounts, active tokens, events, last sync")->callback([&] {
        auto r = g.connect()->listSyncAccounts();
        if (!r) {
            exitCode = notServer(r.error());
            return;
        }
        if (g.json) {
            std::cout << toJson(*r) << '\n';
            return;
        }
        for (const auto& acc : r->accounts())
            std::cout << acc.name() << "  (" << acc.learner_id() << ")  tokens=" << acc.active_tokens()
                      << " events=" << acc.events() << " last sync " << formatTime(acc.last_sync_ms())
                      << '\n';
        if (r->accounts_size() == 0)
            std::cout << "no accounts yet: retainctl sync-server add-learner NAME\n";
    });
}

}  // namespace retain::cli
