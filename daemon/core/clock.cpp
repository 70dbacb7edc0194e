#include "core/clock.h"

#include <chrono>

namespace retain::core {

int64_t SystemClock::nowMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool SimulatedClock::set(int64_t nowMs) {
    int64_t current = m_now.load();
    while (nowMs >= current) {
        if (m_now.compare_exchange_weak(current, nowMs))
            return true;
    }
    return false;
}

uint64_t HybridClock::now() {
    std::lock_guard lock(m_mutex);
    const uint64_t physical = make(m_clock.nowMs(), 0);
    // Physical time ahead of everything seen: take it. Otherwise tick the logical counter.
    m_last = physical > m_last ? physical : m_last + 1;
    return m_last;
}

void HybridClock::observe(uint64_t remote) {
    std::lock_guard lock(m_mutex);
    if (remote > m_last)
        m_last = remote;
}

uint64_t HybridClock::last() const {
    std::lock_guard lock(m_mutex);
    return m_last;
}

}  // namespace retain::core
