#pragma once
// Study days: a day starts at the learner's rollover hour in their time zone (default 04:00), so a
// late-night review belongs to the day before. Day numbers count days since 1970-01-01.

#include <cstdint>
#include <optional>
#include <string>

namespace date {
class time_zone;
}

namespace retain::core {

class StudyDayClock {
public:
    // Returns nullopt for an unknown time zone or an hour outside 0..23.
    static std::optional<StudyDayClock> make(const std::string& timeZone, int rolloverHour);
    StudyDayClock();  // UTC, rollover 04:00

    int64_t dayOf(int64_t ms) const;
    // First millisecond of a study day (its rollover instant).
    int64_t dayStartMs(int64_t day) const;
    static std::string isoDate(int64_t day);
    // The zone's offset from UTC at the start of a study day, in minutes (east positive).
    int utcOffsetMinutes(int64_t day) const {
        return static_cast<int>((day * 86'400'000 + m_rollover * 3'600'000LL - dayStartMs(day)) / 60'000);
    }
    // Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
    static std::optional<int64_t> parseIsoDate(const std::string& iso);
    const std::string& timeZone() const { return m_name; }
    int rolloverHour() const { return m_rollover; }

private:
    const date::time_zone* m_zone = nullptr;
    std::string m_name = "UTC";
    int m_rollover = 4;
};

bool isKnownTimeZone(const std::string& name);
// This machine's IANA time zone (/etc/localtime), or "UTC" when it cannot be told.
std::string localTimeZoneName();

}  // namespace retain::core
