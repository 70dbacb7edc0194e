#pragma once
// retaind's configuration: built-in defaults, then the config files (/etc/retain/retaind.conf, then
// $XDG_CONFIG_HOME/retain/retaind.conf), then command-line flags, each overriding the one before.

#include <optional>
#include <string>
#include <vector>

namespace retain::app {

struct DaemonConfig {
    std::string socketPath;  // unix socket; empty disables it (then --listen is required)
    std::string dataDir;
    std::string contentDir;
    std::string listen;  // HOST:PORT for TCP, empty: none
    std::string tlsCert, tlsKey;
    std::string tlsClientCa;           // mutual TLS: TCP clients must present a certificate from this CA
    bool allowInsecureRemote = false;  // --insecure-plaintext-remote: loudly named on purpose
    int maxConnections = 512;          // concurrent TCP connections (the unix socket is not counted)
    int handshakeTimeoutSeconds = 10;  // a TCP connection that completes no handshake by then is closed
    bool simulatedClock = false;
    int64_t simulatedStartMs = 0;
    bool syncServer = false;
    int checkpointSeconds = 300;  // periodic WAL checkpoint
    std::string salvageTo;        // --salvage FILE: copy what is readable of the database there, then exit
    std::string logLevel = "info";
    bool logJson = false;
};

struct ParseOutcome {
    std::optional<DaemonConfig> config;  // nullopt: exit with `exitCode` after printing `message`
    int exitCode = 0;
    std::string message;
};

ParseOutcome parseDaemonArgs(int argc, const char* const* argv);
// The same with other config files in place of defaultConfigFiles(), lowest precedence first (tests).
ParseOutcome parseDaemonArgs(int argc, const char* const* argv, const std::vector<std::string>& configFiles);
// /etc/retain/retaind.conf, then $XDG_CONFIG_HOME/retain/retaind.conf (~/.config/...).
std::vector<std::string> defaultConfigFiles();

// Defaults, following the XDG base directory spec with the usual fallbacks.
std::string defaultSocketPath();
std::string defaultDataDir();
std::string defaultContentDir(const char* argv0);
// The checks that need no I/O: TLS pairs, loopback rule, ... Returns an error message or nullopt.
std::optional<std::string> checkConfig(const DaemonConfig& config);
bool isLoopbackHost(const std::string& hostPort);
// The whole of a file (TLS certificates and keys, CA bundles); nullopt when it cannot be read.
std::optional<std::string> readTextFile(const std::string& path);

}  // namespace retain::app
