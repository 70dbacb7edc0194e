// retainctl: Retain from the command line, for terminals, scripts and servers.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
    retain::cli::Globals globals;
    CLI::App app{"retainctl — talk to retaind from the command line"};
    app.set_version_flag("--version", std::string("retainctl ") + RETAIN_VERSION);
    app.add_option("--daemon", globals.daemon,
                   "daemon address: unix:PATH or HOST:PORT (default: the local socket)");
    app.add_option("--learner", globals.learner,
                   "learner name or id (default: \"default\", created on first use)");
    app.add_flag("--json", globals.json, "print machine-readable JSON");
    app.add_option("--ca-file", globals.caFile, "PEM CA certificate for a TLS daemon address");
    app.add_option("--token-file", globals.tokenFile,
                   "access token for a TCP daemon address, from a file or - for standard input "
                   "(default: $RETAIN_TOKEN_FILE; see `retainctl access create`)");
    app.add_option("--timeout", globals.timeoutMs, "per-call deadline in milliseconds")
        ->check(CLI::Range(100, 600000));
    app.require_subcommand(1);
    app.fallthrough();  // global options (--json, --daemon, --learner) may follow the subcommand
    int exitCode = 0;
    retain::cli::registerCommands(app, globals, exitCode);
    // An unknown command is named, with the nearest known one, rather than "a subcommand is required".
    {
        std::vector<std::string> known;
        for (const auto* sub : app.get_subcommands({}))
            known.push_back(sub->get_name());
        const std::vector<std::string> takesValue = {"--daemon", "--learner", "--ca-file", "--token-file",
                                                     "--timeout"};
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            if (std::find(takesValue.begin(), takesValue.end(), arg) != takesValue.end()) {
                ++i;
                continue;
            }
            if (arg.empty() || arg[0] == '-')
                continue;
            if (std::find(known.begin(), known.end(), arg) == known.end()) {
                std::string nearest;
                size_t best = 3;  // suggest only close spellings
                for (const auto& k : known)
                    if (const size_t d = retain::cli::editDistance(arg, k); d < best) {
                        best = d;
                        nearest = k;
                    }
                std::sort(known.begin(), known.end());
                std::string list;
                for (const auto& k : known)
                    list += (list.empty() ? "" : ", ") + k;
                std::cerr << "retainctl: unknown command \"" << arg << "\""
                          << (nearest.empty() ? std::string() : "; did you mean \"" + nearest + "\"?")
                          << "\n  commands: " << list << "\n  see retainctl --help\n";
                return 2;
            }
            break;  // the first word is a command: the rest is its own
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exitCode;
}
