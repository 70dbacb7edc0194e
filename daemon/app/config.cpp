#include "app/config.h"

#include "core/os_safety.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifndef RETAIN_VERSION
#define RETAIN_VERSION "0.0.0"
#endif
#ifndef RETAIN_SOURCE_CONTENT_DIR
#define RETAIN_SOURCE_CONTENT_DIR ""
#endif

namespace retain::app {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}
std::string home() {
    auto h = env("HOME");
    return h.empty() ? "/tmp" : h;
}
}  // namespace

std::string defaultSocketPath() {
    auto runtime = env("XDG_RUNTIME_DIR");
    if (runtime.empty())
        runtime = "/tmp/retain-" + std::to_string(getuid());
    return runtime + "/retain/retaind.sock";
}

std::string defaultDataDir() {
    auto data = env("XDG_DATA_HOME");
    if (data.empty())
        data = home() + "/.local/share";
    return data + "/retain";
}

std::string defaultContentDir(const char* argv0) {
    // Installed layout first (<prefix>/bin/retaind -> <prefix>/share/retain/content), then the source tree.
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path base = ec ? fs::path(argv0 ? argv0 : "") : exe;
    const auto installed = base.parent_path().parent_path() / "share" / "retain" / "content";
    if (fs::is_directory(installed, ec))
        return installed.string();
    if (fs::is_directory("/usr/share/retain/content", ec))
        return "/usr/share/retain/content";
    return RETAIN_SOURCE_CONTENT_DIR;
}

bool isLoopbackHost(const std::string& hostPort) {
    return core::isLoopbackHostPort(hostPort);
}

std::optional<std::string> checkConfig(const DaemonConfig& c) {
    if (c.socketPath.empty() && c.listen.empty())
        return "nothing to listen on: give --socket PATH or --listen HOST:PORT";
    if (c.tlsCert.empty() != c.tlsKey.empty())
        return "--tls-cert and --tls-key must be given together";
    if (!c.listen.empty()) {
        if (c.listen.find(':') == std::string::npos)
            return "--listen must be HOST:PORT, got \"" + c.listen + "\"";
        if (!isLoopbackHost(c.listen) && c.tlsCert.empty() && !c.allowInsecureRemote)
            return "refusing to listen on non-loopback address " + c.listen +
                   " without TLS: give --tls-cert FILE --tls-key FILE (or, only on a trusted network, "
                   "--insecure-plaintext-remote)";
    }
    if (!c.tlsClientCa.empty() && c.tlsCert.empty())
        return "--tls-client-ca needs --tls-cert and --tls-key (mutual TLS is TLS first)";
    if (c.maxConnections < 1 || c.maxConnections > 100000)
        return "--max-connections must be 1 to 100000";
    if (c.handshakeTimeoutSeconds < 1 || c.handshakeTimeoutSeconds > 300)
        return "--handshake-timeout must be 1 to 300 seconds";
    if (c.checkpointSeconds < 1 || c.checkpointSeconds > 86400)
        return "--checkpoint-interval must be 1 to 86400 seconds";
    if (c.logLevel != "trace" && c.logLevel != "debug" && c.logLevel != "info" && c.logLevel != "warn" &&
        c.logLevel != "error")
        return "--log-level must be trace, debug, info, warn or error";
    return std::nullopt;
}

std::vector<std::string> defaultConfigFiles() {
    auto cfg = env("XDG_CONFIG_HOME");
    return {"/etc/retain/retaind.conf", (cfg.empty() ? home() + "/.config" : cfg) + "/retain/retaind.conf"};
}

ParseOutcome parseDaemonArgs(int argc, const char* const* argv) {
    return parseDaemonArgs(argc, argv, defaultConfigFiles());
}

ParseOutcome parseDaemonArgs(int argc, const char* const* argv, const std::vector<std::string>& configFiles) {
    ParseOutcome out;
    DaemonConfig c;
    std::string clock = "system";
    std::string configFile;
    po::options_description opts("retaind options");
    // clang-format off
    opts.add_options()
        ("help,h", "show this help")
        ("version", "print the version and exit")
        ("config", po::value(&configFile), "read options from this file (key = value lines) instead of the defaults")
        ("socket", po::value(&c.socketPath)->default_value(defaultSocketPath()), "unix socket to listen on (owner-only); \"\" to disable")
        ("data-dir", po::value(&c.dataDir)->default_value(defaultDataDir()), "directory of the database")
        ("content", po::value(&c.contentDir)->default_value(defaultContentDir(argc > 0 ? argv[0] : nullptr)), "content directory (blueprints and items)")
        ("listen", po::value(&c.listen), "also listen on TCP HOST:PORT (non-loopback needs TLS)")
        ("tls-cert", po::value(&c.tlsCert), "PEM certificate chain for TCP")
        ("tls-key", po::value(&c.tlsKey), "PEM private key for TCP")
        ("tls-client-ca", po::value(&c.tlsClientCa), "mutual TLS: require TCP clients to present a certificate signed by this CA (PEM)")
        ("max-connections", po::value(&c.maxConnections), "most concurrent TCP connections (default 512; the unix socket is never limited)")
        ("handshake-timeout", po::value(&c.handshakeTimeoutSeconds), "seconds a TCP connection may take to send its first bytes and finish its handshake (default 10)")
        ("insecure-plaintext-remote", po::bool_switch(&c.allowInsecureRemote), "allow plaintext TCP on a non-loopback address (unsafe)")
        ("sync-server", po::bool_switch(&c.syncServer), "run as a sync server for many learners")
        ("clock", po::value(&clock), "system (default) or simulated (time set by AdminService.SetClock; tests and simulations)")
        ("checkpoint-interval", po::value(&c.checkpointSeconds), "seconds between WAL checkpoints (default 300)")
        ("salvage", po::value(&c.salvageTo), "copy every readable learner and event of the database into the new file FILE, list what was lost, and exit (for a damaged database)")
        ("log-level", po::value(&c.logLevel), "trace, debug, info, warn or error")
        ("log-json", po::bool_switch(&c.logJson), "log one JSON object per line");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, opts), vm);
        const std::vector<std::string> files =
            vm.count("config") ? std::vector<std::string>{vm["config"].as<std::string>()} : configFiles;
        // Later files override earlier ones; the command line (stored first) overrides all.
        for (auto it = files.rbegin(); it != files.rend(); ++it) {
            std::ifstream in(*it);
            if (!in) {
                if (vm.count("config"))
                    throw po::error("cannot read config file " + *it);
                continue;
            }
            po::store(po::parse_config_file(in, opts), vm);
        }
        po::notify(vm);
    } catch (const po::error& e) {
        out.exitCode = 2;
        out.message = std::string("retaind: ") + e.what() + "\nTry 'retaind --help'.";
        return out;
    }
    if (vm.count("help")) {
        std::ostringstream s;
        s << "retaind — the Retain study daemon\n\nUsage: retaind [options]\n\n" << opts;
        out.message = s.str();
        return out;
    }
    if (vm.count("version")) {
        out.message = std::string("retaind ") + RETAIN_VERSION;
        return out;
    }
    if (clock != "system" && clock != "simulated") {
        out.exitCode = 2;
        out.message = "retaind: --clock must be system or simulated, got \"" + clock + "\"";
        return out;
    }
    c.simulatedClock = clock == "simulated";
    if (auto problem = checkConfig(c)) {
        out.exitCode = 2;
        out.message = "retaind: " + *problem;
        return out;
    }
    out.config = c;
    return out;
}

std::optional<std::string> readTextFile(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace retain::app
