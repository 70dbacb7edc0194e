// retaind's configuration files: /etc/retain/retaind.conf (the packaged, documented defaults), then the
// user's ~/.config/retain/retaind.conf, then flags, each overriding the one before.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "app/config.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

const std::string kShippedConfig = std::string(RETAIN_CONTENT_DIR) + "/../packaging/retaind.conf";

TEST(ConfigFiles, userFileOverridesSystemFileAndFlagsOverrideBoth) {
    TempDir dir;
    std::ofstream(dir.file("system.conf")) << "socket = /tmp/system.sock\ndata-dir = /tmp/system-data\n"
                                           << "log-level = debug\ncheckpoint-interval = 60\n";
    std::ofstream(dir.file("user.conf")) << "socket = /tmp/user.sock\ncheckpoint-interval = 120\n";
    const char* args[] = {"retaind", "--checkpoint-interval", "30"};
    auto parsed = app::parseDaemonArgs(3, args, {dir.file("system.conf"), dir.file("user.conf")});
    ASSERT_TRUE(parsed.config) << parsed.message;
    EXPECT_EQ(parsed.config->socketPath, "/tmp/user.sock");  // user over system
    EXPECT_EQ(parsed.config->dataDir, "/tmp/system-data");   // system over the built-in default
    EXPECT_EQ(parsed.config->logLevel, "debug");             // only the system file sets it
    EXPECT_EQ(parsed.config->checkpointSeconds, 30);         // the flag over both files
}

TEST(ConfigFiles, missingFilesAreSkipped) {
    TempDir dir;
    std::ofstream(dir.file("user.conf")) << "log-json = true\n";
    const char* args[] = {"retaind"};
    auto parsed = app::parseDaemonArgs(1, args, {dir.file("no-such-system.conf"), dir.file("user.conf")});
    ASSERT_TRUE(parsed.config) << parsed.message;
    EXPECT_TRUE(parsed.config->logJson);
    EXPECT_EQ(parsed.config->socketPath, app::defaultSocketPath());
}

TEST(ConfigFiles, anUnknownKeyIsAnErrorThatNamesIt) {
    TempDir dir;
    std::ofstream(dir.file("system.conf")) << "colour = blue\n";
    const char* args[] = {"retaind"};
    auto parsed = app::parseDaemonArgs(1, args, {dir.file("system.conf")});
    EXPECT_FALSE(parsed.config);
    EXPECT_EQ(parsed.exitCode, 2);
    EXPECT_NE(parsed.message.find("colour"), std::string::npos) << parsed.message;
}

TEST(ConfigFiles, theShippedSystemFileChangesNothing) {
    std::ifstream shipped(kShippedConfig);
    ASSERT_TRUE(shipped) << kShippedConfig;
    const char* args[] = {"retaind"};
    auto withShipped = app::parseDaemonArgs(1, args, {kShippedConfig});
    auto withNone = app::parseDaemonArgs(1, args, std::vector<std::string>{});
    ASSERT_TRUE(withShipped.config) << withShipped.message;
    ASSERT_TRUE(withNone.config) << withNone.message;
    const auto &a = *withShipped.config, &b = *withNone.config;
    EXPECT_EQ(a.socketPath, b.socketPath);
    EXPECT_EQ(a.dataDir, b.dataDir);
    EXPECT_EQ(a.contentDir, b.contentDir);
    EXPECT_EQ(a.listen, b.listen);
    EXPECT_EQ(a.checkpointSeconds, b.checkpointSeconds);
    EXPECT_EQ(a.logLevel, b.logLevel);
    EXPECT_EQ(a.logJson, b.logJson);
    EXPECT_EQ(a.syncServer, b.syncServer);
}

// Every commented-out line of the shipped file, uncommented, is a valid setting with the value it
// documents as the default, so the file cannot drift from the options retaind accepts.
TEST(ConfigFiles, theShippedFileDocumentsRealOptions) {
    std::ifstream shipped(kShippedConfig);
    ASSERT_TRUE(shipped) << kShippedConfig;
    TempDir dir;
    std::string line;
    int settings = 0;
    while (std::getline(shipped, line)) {
        if (line.rfind("#", 0) != 0 || line.find(" = ") == std::string::npos || line.rfind("# ", 0) == 0)
            continue;
        const std::string setting = line.substr(1);
        if (setting.find("/path/to/") != std::string::npos)
            continue;  // tls-cert and tls-key: placeholders, and only valid as a pair
        std::ofstream(dir.file("one.conf")) << setting << '\n';
        const char* args[] = {"retaind"};
        auto parsed = app::parseDaemonArgs(1, args, {dir.file("one.conf")});
        EXPECT_TRUE(parsed.config) << setting << ": " << parsed.message;
        ++settings;
    }
    EXPECT_GE(settings, 6);
}

TEST(ConfigFiles, defaultFilesAreTheSystemFileThenXdgConfigHome) {
    ::setenv("XDG_CONFIG_HOME", "/home/ana/.cfg", 1);
    EXPECT_EQ(app::defaultConfigFiles(),
              (std::vector<std::string>{"/etc/retain/retaind.conf", "/home/ana/.cfg/retain/retaind.conf"}));
    ::unsetenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    ASSERT_NE(home, nullptr);
    EXPECT_EQ(app::defaultConfigFiles().back(), std::string(home) + "/.config/retain/retaind.conf");
}

}  // namespace
}  // namespace retain::test
