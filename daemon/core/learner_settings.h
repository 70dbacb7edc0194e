#pragma once
// A learner's settings as the fold sees them. On the log each change is a SettingChanged event
// (key, canonical text value); replicas merge them last-writer-wins per key by hybrid clock.

#include <optional>
#include <string>
#include <vector>

namespace retain::core {

struct LearnerSettings {
    std::string examCode;  // empty: the pack's default exam
    std::string examDate;  // "YYYY-MM-DD" or empty
    std::string timeZone = "UTC";
    int dayRolloverHour = 4;
    int newItemsPerDay = 20;
    int minutesPerDay = 20;
    double desiredRetention = 0.90;
    int leechThreshold = 6;
    int maximumIntervalDays = 36500;
    std::string displayName;

    // The setting keys, named as the LearnerSettings proto fields.
    static const std::vector<std::string>& keys();
    static bool isKey(const std::string& key);
    // Checks a value for a key; returns a message a person can act on (without the key) when invalid.
    static std::optional<std::string> check(const std::string& key, const std::string& value);
    // Applies a checked value; returns false when the key is unknown or the value invalid.
    bool set(const std::string& key, const std::string& value);
    std::string get(const std::string& key) const;
};

}  // namespace retain::core
