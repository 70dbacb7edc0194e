#include "core/learner_settings.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "core/ids.h"
#include "core/study_day.h"

namespace retain::core {
namespace {

std::optional<long> parseInt(const std::string& v) {
    long out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size() || v.empty())
        return std::nullopt;
    return out;
}

std::optional<double> parseDouble(const std::string& v) {
    if (v.empty())
        return std::nullopt;
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end != v.c_str() + v.size())
        return std::nullopt;
    return d;
}

std::optional<std::string> intRange(const std::string& v, long lo, long hi) {
    auto n = parseInt(v);
    if (!n || *n < lo || *n > hi)
        return "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
               ", got \"" + shownText(v) + "\"";
    return std::nullopt;
}

}  // namespace

const std::vector<std::string>& LearnerSettings::keys() {
    static const std::vector<std::string> k = {
        "exam_code",         "exam_date",         "time_zone",
        "day_rollover_hour", "new_items_per_day", "minutes_per_day",
        "desired_retention", "leech_threshold",   "maximum_interval_days",
        "display_name"};
    return k;
}

bool LearnerSettings::isKey(const std::string& key) {
    for (const auto& k : keys())
        if (k == key)
            return true;
    return false;
}

std::optional<std::string> LearnerSettings::check(const std::string& key, const std::string& v) {
    if (key == "exam_code")
        return v.size() > 32 ? std::optional<std::string>("must be at most 32 characters") : std::nullopt;
    if (key == "exam_date") {
        if (v.empty())
            return std::nullopt;
        if (!StudyDayClock::parseIsoDate(v))
            return "must be a date YYYY-MM-DD (or empty to clear), got \"" + shownText(v) + "\"";
        return std::nullopt;
    }
    if (key == "time_zone") {
        if (!isKnownTimeZone(v))
            return "must be an IANA time zone such as Europe/Berlin or UTC, got \"" + shownText(v) + "\"";
        return std::nullopt;
    }
    if (key == "day_rollover_hour")
        return intRange(v, 0, 23);
    if (key == "new_items_per_day")
        return intRange(v, 0, 1000);
    if (key == "minutes_per_day")
        return intRange(v, 1, 1440);
    if (key == "leech_threshold")
        return intRange(v, 2, 50);
    if (key == "maximum_interval_days")
        return intRange(v, 1, 36500);
    if (key == "desired_retention") {
        auto d = parseDouble(v);
        if (!d || !(*d >= 0.70 && *d <= 0.99))  // NaN too
            return "must be between 0.70 and 0.99, got \"" + shownText(v) + "\"";
        return std::nullopt;
    }
    if (key == "display_name") {
        if (v.empty() || v.size() > 64)
            return "must be 1 to 64 characters";
        return std::nullopt;
    }
    return "is not a setting (known: exam_code, exam_date, time_zone, day_rollover_hour, new_items_per_day, "
           "minutes_per_day, desired_retention, leech_threshold, maximum_interval_days, display_name)";
}

bool LearnerSettings::set(const std::string& key, const std::string& v) {
    if (check(key, v))
        return false;
    if (key == "exam_code")
        examCode = v;
    else if (key == "exam_date")
        examDate = v;
    else if (key == "time_zone")
        timeZone = v;
    else if (key == "day_rollover_hour")
        dayRolloverHour = static_cast<int>(*parseInt(v));
    else if (key == "new_items_per_day")
        newItemsPerDay = static_cast<int>(*parseInt(v));
    else if (key == "minutes_per_day")
        minutesPerDay = static_cast<int>(*parseInt(v));
    else if (key == "desired_retention")
        desiredRetention = *parseDouble(v);
    else if (key == "leech_threshold")
        leechThreshold = static_cast<int>(*parseInt(v));
    else if (key == "maximum_interval_days")
        maximumIntervalDays = static_cast<int>(*parseInt(v));
    else if (key == "display_name")
        displayName = v;
    else
        return false;
    return true;
}

std::string LearnerSettings::get(const std::string& key) const {
    if (key == "exam_code")
        return examCode;
    if (key == "exam_date")
        return examDate;
    if (key == "time_zone")
        return timeZone;
    if (key == "day_rollover_hour")
        return std::to_string(dayRolloverHour);
    if (key == "new_items_per_day")
        return std::to_string(newItemsPerDay);
    if (key == "minutes_per_day")
        return std::to_string(minutesPerDay);
    if (key == "desired_retention") {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", desiredRetention);
        return buf;
    }
    if (key == "leech_threshold")
        return std::to_string(leechThreshold);
    if (key == "maximum_interval_days")
        return std::to_string(maximumIntervalDays);
    if (key == "display_name")
        return displayName;
    return {};
}

}  // namespace retain::core
