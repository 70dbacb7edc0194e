#pragma once
// One temporary directory per test, removed afterwards.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace retain::test {

class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "retain";
        for (auto& c : name)
            if (c == '/')
                c = '_';
        // Short base: unix socket paths are limited to 107 bytes.
        auto base = std::filesystem::temp_directory_path() / "rt";
        std::filesystem::create_directories(base);
        std::string pattern = (base / (name.substr(0, 40) + ".XXXXXX")).string();
        m_path = mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

inline std::string miniContentDir() {
    return std::string(RETAIN_TEST_DATA_DIR) + "/content/mini";
}

}  // namespace retain::test
