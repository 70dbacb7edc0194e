#pragma once
// Clocks and the hybrid logical clock that orders events across replicas.

#include <atomic>
#include <cstdint>
#include <mutex>

namespace retain::core {

// The daemon's notion of now, in milliseconds since the Unix epoch.
class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t nowMs() const = 0;
};

class SystemClock final : public Clock {
public:
    int64_t nowMs() const override;
};

// A clock moved only by set(): simulations and tests (retaind --clock=simulated).
class SimulatedClock final : public Clock {
public:
    explicit SimulatedClock(int64_t startMs) : m_now(startMs) {}
    int64_t nowMs() const override { return m_now.load(); }
    // Returns false (and leaves the clock) when nowMs is earlier than the current time.
    bool set(int64_t nowMs);

private:
    std::atomic<int64_t> m_now;
};

// Hybrid logical clock (Kulkarni et al., 2014): 48 bits of physical milliseconds, 16 bits of logical
// counter. Timestamps from one replica strictly increase; observe() folds in remote timestamps so
// events created after a sync sort after everything that was received.
class HybridClock {
public:
    explicit HybridClock(const Clock& clock) : m_clock(clock) {}
    uint64_t now();
    void observe(uint64_t remote);
    uint64_t last() const;
    static int64_t physicalMs(uint64_t hlc) { return static_cast<int64_t>(hlc >> 16); }
    static uint64_t make(int64_t physicalMs, uint16_t logical) {
        return (static_cast<uint64_t>(physicalMs) << 16) | logical;
    }

private:
    const Clock& m_clock;
    mutable std::mutex m_mutex;
    uint64_t m_last = 0;
};

}  // namespace retain::core
