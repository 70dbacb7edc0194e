// retainctl access create|list|revoke: access tokens for clients that reach retaind over TCP
// (docs/security.md). Managed over the daemon's own unix socket only.
#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/commands.h"

namespace retain::cli {

namespace {
std::string dateOf(int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}
}  // namespace

void registerAccessCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* access = app.add_subcommand(
        "access",
        "access tokens for clients on other machines (retaind --listen); run on the daemon's machine");
    access->require_subcommand(1);

    static bool admin = false;
    static std::string label;
    auto* create = access->add_subcommand(
        "create", "create a token for --learner (or, with --admin, for every learner and admin calls)");
    create->add_flag("--admin", admin, "an admin token: every learner, backups, rebuilds, sync setup");
    create->add_option("--label", label, "what the token is for (\"laptop\"), shown by `access list`");
    create->callback([&] {
        auto client = g.connect();
        v1::CreateAccessTokenRequest req;
        req.set_admin(admin);
        req.set_label(label);
        if (!admin) {
            const auto id = learnerIdOrFail(*client, g, exitCode);
            if (id.empty())
                return;
            req.set_learner(id);
        }
        const std::string who =
            admin ? std::string() : " --learner " + (g.learner.empty() ? "default" : g.learner);
        emit(client->createAccessToken(req), g, exitCode, [&who](const v1::CreateAccessTokenResponse& r) {
            std::cout << r.token() << "\n\n"
                      << "This token (" << r.prefix() << "…) is shown once; retaind keeps only its hash.\n"
                      << "Save it in a file only you can read (chmod 600) on the client machine, then:\n"
                      << "  retainctl --daemon HOST:PORT --token-file FILE" << who << " today\n"
                      << "Revoke it with: retainctl access revoke " << r.prefix() << '\n';
        });
    });

    access->add_subcommand("list", "the tokens this daemon accepts (prefix, learner or admin, label)")
        ->callback([&] {
            emit(g.connect()->listAccessTokens(), g, exitCode, [](const v1::ListAccessTokensResponse& r) {
                if (r.tokens().empty()) {
                    std::cout << "no access tokens: TCP clients are refused (create one with `retainctl "
                                 "access create`)\n";
                    return;
                }
                for (const auto& t : r.tokens())
                    std::cout << t.prefix() << "  "
                              << (t.admin() ? std::string("admin") : "learner " + t.learner_id())
                              << "  created " << dateOf(t.created_ms())
                              << (t.label().empty() ? "" : "  \"" + t.label() + "\"") << '\n';
            });
        });

    static std::string prefix;
    auto* revoke = access->add_subcommand("revoke", "revoke the token with this prefix (from `access list`)");
    revoke->add_option("prefix", prefix, "the token's first 8 hex digits")->required();
    revoke->callback([&] {
        v1::RevokeAccessTokenRequest req;
        req.set_prefix(prefix);
        emit(g.connect()->revokeAccessToken(req), g, exitCode, [](const v1::RevokeAccessTokenResponse& r) {
            std::cout << "revoked " << r.revoked() << " token(s); clients using it are refused from now on\n";
        });
    });
}

}  // namespace retain::cli
