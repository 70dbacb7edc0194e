// retainctl: Retain from the command line, for terminals, scripts and servers.
#include <CLI/CLI.hpp>
#include <iostream>

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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exitCode;
}
