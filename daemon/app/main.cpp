// retaind: the Retain study daemon.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <csignal>
#include <iostream>

#include "app/daemon.h"
#include "app/systemd_notify.h"
#include "storage/salvage.h"

int main(int argc, char** argv) {
    auto parsed = retain::app::parseDaemonArgs(argc, argv);
    if (!parsed.config) {
        (parsed.exitCode ? std::cerr : std::cout) << parsed.message << '\n';
        return parsed.exitCode;
    }
    const auto& config = *parsed.config;
    // Everything retaind creates (database, WAL, backups, sockets, directories) is for its user alone.
    ::umask(0077);
    // Structured logs on stderr: logfmt by default, one JSON object per line with --log-json.
    auto logger = spdlog::stderr_logger_mt("retaind");
    logger->set_pattern(config.logJson ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","msg":"%v"})"
                                       : "ts=%Y-%m-%dT%H:%M:%S.%e%z level=%l msg=\"%v\"");
    logger->set_level(spdlog::level::from_str(config.logLevel));
    spdlog::set_default_logger(logger);

    if (!config.salvageTo.empty()) {
        const std::string db = config.dataDir + "/retain.db";
        auto report = retain::storage::salvageDatabase(db, config.salvageTo);
        if (!report) {
            std::cerr << "retaind: " << report.error().message << '\n';
            return 1;
        }
        std::cout << "salvaged " << db << " into " << config.salvageTo << ": " << report->learners
                  << " learner(s), " << report->eventsCopied << " event(s) copied, " << report->eventsLost
                  << " lost\n";
        for (const auto& line : report->losses)
            std::cout << "  lost: " << line << '\n';
        if (report->eventsLost > report->losses.size())
            std::cout << "  ... and " << report->eventsLost - report->losses.size() << " more\n";
        std::cout << "Keep the damaged file aside, move the new one to " << db
                  << " and start retaind. It is a new replica: a synced learner's lost events come back from "
                     "the sync server.\n";
        return 0;
    }
    // Signals are handled by the daemon's asio signal_set; block their default action meanwhile.
    auto daemon = retain::app::Daemon::start(config);
    if (!daemon) {
        spdlog::error("{}", daemon.error().message);
        std::cerr << "retaind: " << daemon.error().message << '\n';
        return 1;
    }
    // Under the systemd user unit (Type=notify): clients may connect from here on.
    std::string notifyError;
    if (!retain::app::notifySystemd("READY=1", &notifyError) && !notifyError.empty())
        spdlog::warn("could not tell systemd that retaind is ready: {}", notifyError);
    (*daemon)->waitForSignal();
    return 0;
}
