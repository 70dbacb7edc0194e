// retainctl admin version|backup|rebuild|reload-content|set-clock
#include <iostream>

#include "cli/commands.h"

namespace retain::cli {

void registerAdminCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* admin = app.add_subcommand("admin", "daemon administration");
    admin->require_subcommand(1);

    admin->add_subcommand("version", "daemon version, schema, data directory")->callback([&] {
        emit(g.connect()->version(), g, exitCode, [](const v1::VersionInfo& r) {
            std::cout << "retaind " << r.version() << " (schema " << r.schema_version() << ", " << r.mode()
                      << ")\n"
                      << "  data:    " << r.data_dir() << "\n  content: " << r.content_dir()
                      << "\n  replica: " << r.replica_id()
                      << (r.simulated_clock() ? "\n  clock:   simulated" : "") << '\n';
        });
    });

    static std::string backupPath;
    auto* backup = admin->add_subcommand("backup", "write a consistent copy of the database to a new file");
    backup->add_option("path", backupPath, "absolute path of the new backup file")->required();
    backup->callback([&] {
        v1::BackupRequest req;
        req.set_path(backupPath);
        emit(g.connect()->backup(req), g, exitCode, [](const v1::BackupResponse& r) {
            std::cout << "backup written: " << r.path() << " (" << r.bytes() << " bytes)\n";
        });
    });

    static bool rebuildAll = false;
    auto* rebuild =
        admin->add_subcommand("rebuild", "discard derived state and fold it again from the event log");
    rebuild->add_flag("--all", rebuildAll, "every learner (default: --learner only)");
    rebuild->callback([&] {
        auto client = g.connect();
        v1::RebuildRequest req;
        if (!rebuildAll) {
            const auto id = learnerIdOrFail(*client, g, exitCode);
            if (id.empty())
                return;
            req.set_learner_id(id);
        }
        emit(client->rebuild(req), g, exitCode, [](const v1::RebuildResponse& r) {
            std::cout << "rebuilt " << r.learners() << " learner(s) from " << r.events() << " events in "
                      << r.seconds() << " s\n";
        });
    });

    admin->add_subcommand("reload-content", "load the content directory again (refused if it has errors)")
        ->callback([&] {
            emit(g.connect()->reloadContent(), g, exitCode, [](const v1::ReloadContentResponse& r) {
                std::cout << "content reloaded: " << r.blueprints() << " blueprint(s), " << r.items()
                          << " items\n";
            });
        });

    static int64_t clockMs = 0;
    auto* clock =
        admin->add_subcommand("set-clock", "set the daemon's time (only with retaind --clock=simulated)");
    clock->add_option("ms", clockMs, "milliseconds since the Unix epoch")->required();
    clock->callback([&] {
        v1::SetClockRequest req;
        req.set_now_ms(clockMs);
        emit(g.connect()->setClock(req), g, exitCode,
             [](const v1::SetClockResponse& r) { std::cout << "clock set to " << r.now_ms() << '\n'; });
    });
}

}  // namespace retain::cli
