#include "core/study_day.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>

namespace retain::core {
using namespace std::chrono;

namespace {
const date::time_zone* findZone(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return nullptr;
    }
}
}  // namespace

bool isKnownTimeZone(const std::string& name) {
    return !name.empty() && findZone(name) != nullptr;
}

std::string localTimeZoneName() {
    try {
        const auto* zone = date::current_zone();
        if (zone && findZone(zone->name())) {
            // UTC under another name is "UTC" (the default, so it writes no setting).
            for (const char* utc :
                 {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu", "Etc/GMT",
                  "GMT", "Etc/GMT0", "GMT0", "Etc/Greenwich", "Greenwich"})
                if (zone->name() == utc)
                    return "UTC";
            return zone->name();
        }
    } catch (const std::exception&) {
    }
    return "UTC";
}

StudyDayClock::StudyDayClock() : m_zone(findZone("UTC")) {}

std::optional<StudyDayClock> StudyDayClock::make(const std::string& timeZone, int rolloverHour) {
    if (rolloverHour < 0 || rolloverHour > 23)
        return std::nullopt;
    const auto* zone = findZone(timeZone);
    if (!zone)
        return std::nullopt;
    StudyDayClock clock;
    clock.m_zone = zone;
    clock.m_name = timeZone;
    clock.m_rollover = rolloverHour;
    return clock;
}

int64_t StudyDayClock::dayOf(int64_t ms) const {
    const date::sys_time<milliseconds> t{milliseconds{ms}};
    const auto local = m_zone ? m_zone->to_local(t) : date::local_time<milliseconds>{milliseconds{ms}};
    const auto shifted = local - hours{m_rollover};
    return date::floor<date::days>(shifted).time_since_epoch().count();
}

int64_t StudyDayClock::dayStartMs(int64_t day) const {
    const date::local_time<milliseconds> local{date::days{day} + hours{m_rollover}};
    if (!m_zone)
        return local.time_since_epoch().count();
    // Ambiguous or non-existent local times (DST changes) resolve to the earliest valid instant.
    const auto info = m_zone->get_info(local);
    date::sys_time<milliseconds> sys;
    if (info.result == date::local_info::nonexistent)
        sys = date::sys_time<milliseconds>{local.time_since_epoch()} - info.first.offset + hours{1};
    else
        sys = date::sys_time<milliseconds>{local.time_since_epoch()} - info.first.offset;
    return sys.time_since_epoch().count();
}

std::string StudyDayClock::isoDate(int64_t day) {
    const date::year_month_day ymd{date::sys_days{date::days{day}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::optional<int64_t> StudyDayClock::parseIsoDate(const std::string& iso) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok() || y < 1970 || y > 9999)
        return std::nullopt;
    return date::sys_days{ymd}.time_since_epoch().count();
}

}  // namespace retain::core
