#pragma once
// Builders for events in core tests.

#include <string>

#include "retain/v1/events.pb.h"

namespace retain::test {

inline constexpr int64_t kDayMs = 86'400'000;
inline constexpr int64_t kT0 = 1'780'000'000'000;  // 2026-05-28T20:26:40Z

class EventMaker {
public:
    explicit EventMaker(std::string learner = std::string(32, 'a'), std::string replica = "00000000000000aa")
        : m_learner(std::move(learner)), m_replica(std::move(replica)) {}

    v1::Event base(int64_t wallMs) {
        v1::Event e;
        e.set_id(m_replica + "-" + std::to_string(++m_seq));
        e.set_learner_id(m_learner);
        e.set_hlc((static_cast<uint64_t>(wallMs) << 16) | (m_seq & 0xffff));
        e.set_wall_time_ms(wallMs);
        return e;
    }
    v1::Event answer(int64_t wallMs, const std::string& item, int rating, bool question = false) {
        auto e = base(wallMs);
        auto* a = e.mutable_answer();
        a->set_item_id(item);
        a->set_item_revision(1);
        a->set_rating(static_cast<v1::Rating>(rating));
        a->set_correct(rating != 1);
        a->set_response_ms(question ? 60000 : 8000);
        if (question)
            a->add_chosen_options(0);
        a->set_mode(v1::DAILY_REVIEW);
        return e;
    }
    v1::Event undo(int64_t wallMs, const std::string& target) {
        auto e = base(wallMs);
        e.mutable_undo()->set_answer_event_id(target);
        return e;
    }
    v1::Event setting(int64_t wallMs, const std::string& key, const std::string& value) {
        auto e = base(wallMs);
        e.mutable_setting()->set_key(key);
        e.mutable_setting()->set_value(value);
        return e;
    }
    v1::Event suspend(int64_t wallMs, const std::string& item, bool on) {
        auto e = base(wallMs);
        e.mutable_suspension()->set_item_id(item);
        e.mutable_suspension()->set_suspended(on);
        return e;
    }
    const std::string& learner() const { return m_learner; }

private:
    std::string m_learner, m_replica;
    uint64_t m_seq = 0;
};

}  // namespace retain::test
