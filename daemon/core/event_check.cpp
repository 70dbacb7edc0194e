#include "core/event_check.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/fsrs.h"
#include "core/ids.h"
#include "core/learner_settings.h"

namespace retain::core {

namespace {

using Problem = std::optional<std::string>;

constexpr size_t kMaxItemIdBytes = 128;
constexpr size_t kMaxSettingValueBytes = 256;
constexpr size_t kMaxExamCodeBytes = 64;
constexpr size_t kMaxDomainIdBytes = 64;
constexpr size_t kMaxScopeBytes = 128;
constexpr int64_t kDayMs = 86'400'000;

std::string shown(const std::string& s) {
    return shownText(s);
}

std::string quoted(const std::string& s) {
    return "\"" + shown(s) + "\"";
}

// 1..maxBytes bytes, none of them an ASCII control character.
bool isPlainText(const std::string& s, size_t maxBytes) {
    return !s.empty() && s.size() <= maxBytes && std::none_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
}

bool isItemId(const std::string& id) {
    return isPlainText(id, kMaxItemIdBytes);
}

// Session and mock ids are core::randomHex(16).
bool isSessionId(const std::string& id) {
    return isHex(id, 16);
}

// From kEarliestEventMs to a day after now (written so that it cannot overflow).
bool isEventTime(int64_t ms, int64_t nowMs) {
    return ms >= kEarliestEventMs && ms - kMaxEventAheadMs <= nowMs;
}

std::string timeRangeProblem(const std::string& field, int64_t ms) {
    return field + " must be from 1990-01-01 to a day after now, got " + std::to_string(ms);
}

// Messages of LearnerSettings::check quote the whole value; show at most 40 bytes of it.
std::string withShownValue(std::string message, const std::string& value) {
    if (value.empty())
        return message;
    const std::string replacement = shown(value);
    for (size_t at = message.find(value); at != std::string::npos;
         at = message.find(value, at + replacement.size())) {
        message.replace(at, value.size(), replacement);
    }
    return message;
}

// Question numbers of a mock exam: each 1..questions, none twice.
template <typename Numbers>
Problem checkQuestionNumbers(const Numbers& numbers, int questions, const char* field) {
    std::vector<bool> seen(static_cast<size_t>(questions) + 1, false);
    for (uint32_t n : numbers) {
        if (n < 1 || n > static_cast<uint32_t>(questions))
            return std::string(field) + ": " + std::to_string(n) + " is not a question number 1-" +
                   std::to_string(questions);
        if (seen[n])
            return std::string(field) + ": " + std::to_string(n) + " appears twice";
        seen[n] = true;
    }
    return std::nullopt;
}

Problem checkTimes(const v1::Event& e, int64_t nowMs) {
    if (!isEventTime(e.wall_time_ms(), nowMs))
        return timeRangeProblem("wall_time_ms", e.wall_time_ms());
    if (e.hlc() == 0)
        return "hlc must be set";
    // At most 2^48 - 1: fits.
    const auto physical = static_cast<int64_t>(e.hlc() >> 16);
    if (!isEventTime(physical, nowMs))
        return timeRangeProblem("hlc's physical time", physical);
    // The HLC's physical part and the wall time come from the same replica clock; the HLC may run ahead
    // of the wall clock after observing a peer whose clock is ahead. Far apart means forged.
    if (physical < e.wall_time_ms() - kDayMs || physical > e.wall_time_ms() + 365 * kDayMs)
        return "hlc is inconsistent with wall_time_ms";
    return std::nullopt;
}

Problem checkAnswer(const v1::AnswerRecorded& a) {
    if (!isItemId(a.item_id()))
        return "answer.item_id must be 1-128 characters without control characters";
    if (a.rating() < v1::AGAIN || a.rating() > v1::EASY)
        return "answer.rating must be AGAIN, HARD, GOOD or EASY";
    uint64_t chosen = 0;
    for (uint32_t option : a.chosen_options()) {
        if (option > kMaxOptionIndex)
            return "answer.chosen_options: " + std::to_string(option) + " is not an option index 0-" +
                   std::to_string(kMaxOptionIndex);
        if ((chosen >> option) & 1)
            return "answer.chosen_options: option " + std::to_string(option) + " is chosen twice";
        chosen |= uint64_t{1} << option;
    }
    if (a.response_ms() > kMaxResponseMs)
        return "answer.response_ms must be at most a day, got " + std::to_string(a.response_ms());
    if (!v1::StudyMode_IsValid(a.mode()))
        return "answer.mode is not a known study mode";
    if (!a.session_id().empty() && !isSessionId(a.session_id()))
        return "answer.session_id must be empty or 16 lower-case hex digits";
    return std::nullopt;
}

Problem checkUndo(const v1::Event& e) {
    const auto& target = e.undo().answer_event_id();
    if (!isValidEventId(target))
        return "undo.answer_event_id is not an event id";
    if (target == e.id())
        return "undo.answer_event_id names the undo itself";
    return std::nullopt;
}

// The same rules as local settings changes (LearnerSettings::check), so that replicas agree.
Problem checkSetting(const v1::SettingChanged& s) {
    if (!LearnerSettings::isKey(s.key()))
        return "setting.key " + quoted(s.key()) + " is not a known setting";
    if (s.value().size() > kMaxSettingValueBytes)
        return "setting.value is longer than " + std::to_string(kMaxSettingValueBytes) + " bytes";
    if (auto problem = LearnerSettings::check(s.key(), s.value()))
        return "setting.value for " + s.key() + " " + withShownValue(*problem, s.value());
    return std::nullopt;
}

Problem checkMockDomains(const v1::MockExamFinished& m) {
    if (m.domains_size() > kMaxMockDomains)
        return "mock_exam.domains has more than " + std::to_string(kMaxMockDomains) + " entries";
    uint64_t total = 0, correct = 0;
    for (int i = 0; i < m.domains_size(); ++i) {
        const auto& d = m.domains(i);
        if (!isPlainText(d.domain_id(), kMaxDomainIdBytes))
            return "mock_exam.domains.domain_id must be 1-64 characters without control characters";
        for (int j = 0; j < i; ++j)
            if (m.domains(j).domain_id() == d.domain_id())
                return "mock_exam.domains: domain " + quoted(d.domain_id()) + " appears twice";
        if (d.correct() > d.total())
            return "mock_exam.domains.correct is more than total for domain " + quoted(d.domain_id());
        total += d.total();
        correct += d.correct();
    }
    // Every scored question belongs to at most one domain.
    if (total > m.scored_total())
        return "mock_exam.domains.total adds up to more than scored_total";
    if (correct > m.scored_correct())
        return "mock_exam.domains.correct adds up to more than scored_correct";
    return std::nullopt;
}

Problem checkMockExam(const v1::Event& e, int64_t nowMs) {
    const auto& m = e.mock_exam();
    if (!isSessionId(m.mock_id()))
        return "mock_exam.mock_id must be 16 lower-case hex digits";
    if (!isPlainText(m.exam_code(), kMaxExamCodeBytes))
        return "mock_exam.exam_code must be 1-64 characters without control characters";
    const int questions = m.item_ids_size();
    if (questions < 1 || questions > kMaxMockQuestions)
        return "mock_exam.item_ids must hold 1-" + std::to_string(kMaxMockQuestions) + " questions, got " +
               std::to_string(questions);
    for (const auto& id : m.item_ids())
        if (!isItemId(id))
            return "mock_exam.item_ids: " + quoted(id) + " is not an item id";
    if (auto p = checkQuestionNumbers(m.unscored_numbers(), questions, "mock_exam.unscored_numbers"))
        return p;
    if (auto p = checkQuestionNumbers(m.flagged_numbers(), questions, "mock_exam.flagged_numbers"))
        return p;
    const auto scoredQuestions = static_cast<uint32_t>(questions - m.unscored_numbers_size());
    if (m.scored_total() < 1 || m.scored_total() > scoredQuestions)
        return "mock_exam.scored_total must be 1-" + std::to_string(scoredQuestions) +
               " (the scored questions), got " + std::to_string(m.scored_total());
    if (m.scored_correct() > m.scored_total())
        return "mock_exam.scored_correct is more than scored_total";
    if (m.estimated_scaled_score() > kMaxScaledScore)
        return "mock_exam.estimated_scaled_score must be at most " + std::to_string(kMaxScaledScore) +
               ", got " + std::to_string(m.estimated_scaled_score());
    if (!isEventTime(m.started_ms(), nowMs))
        return timeRangeProblem("mock_exam.started_ms", m.started_ms());
    if (!isEventTime(m.finished_ms(), nowMs))
        return timeRangeProblem("mock_exam.finished_ms", m.finished_ms());
    // A day of slack: the daemon's clock may be set back while a mock is open.
    if (m.started_ms() > m.finished_ms() + kDayMs)
        return "mock_exam.started_ms is after finished_ms";
    if (m.finished_ms() > e.wall_time_ms() + kDayMs)
        return "mock_exam.finished_ms is after the event's wall_time_ms";
    if (m.option_orders_size() != 0 && m.option_orders_size() != questions)
        return "mock_exam.option_orders must be empty or one per question (" + std::to_string(questions) +
               "), got " + std::to_string(m.option_orders_size());
    for (int q = 0; q < m.option_orders_size(); ++q) {
        // A permutation of 0..n-1: each index below n, none twice.
        const auto& order = m.option_orders(q).option_index();
        const auto n = static_cast<uint32_t>(order.size());
        std::vector<bool> seen(n, false);
        for (uint32_t idx : order) {
            if (n > kMaxOptionIndex + 1 || idx >= n || seen[idx])
                return "mock_exam.option_orders[" + std::to_string(q) +
                       "] is not an order of the options 0-" + std::to_string(n ? n - 1 : 0);
            seen[idx] = true;
        }
    }
    return checkMockDomains(m);
}

Problem checkSession(const v1::SessionBoundary& s) {
    if (!isSessionId(s.session_id()))
        return "session.session_id must be 16 lower-case hex digits";
    if (!v1::StudyMode_IsValid(s.mode()))
        return "session.mode is not a known study mode";
    if (!s.scope().empty() && !isPlainText(s.scope(), kMaxScopeBytes))
        return "session.scope must be at most 128 characters without control characters";
    return std::nullopt;
}

Problem checkLogLoss(double loss, const char* field) {
    if (!std::isfinite(loss) || loss < 0 || loss > kMaxLogLoss)
        return std::string(field) + " must be a finite number from 0 to 100";
    return std::nullopt;
}

// The optimiser's bounds (fsrsParameterBounds), so that the fold never clips adopted parameters.
Problem checkParameters(const v1::ParametersAdopted& p) {
    if (p.w_size() != kFsrsParameterCount)
        return "parameters.w must have " + std::to_string(kFsrsParameterCount) + " FSRS-6 weights, got " +
               std::to_string(p.w_size());
    FsrsParameters parameters;
    std::copy(p.w().begin(), p.w().end(), parameters.w.begin());
    if (auto problem = parameters.validate())
        return "parameters." + *problem;
    if (auto problem = checkLogLoss(p.previous_log_loss(), "parameters.previous_log_loss"))
        return problem;
    return checkLogLoss(p.new_log_loss(), "parameters.new_log_loss");
}

Problem checkPayload(const v1::Event& e, int64_t nowMs) {
    switch (e.payload_case()) {
        case v1::Event::kLearnerCreated:
            if (!isValidLearnerName(e.learner_created().name()))
                return "learner_created.name is not a valid learner name";
            return std::nullopt;
        case v1::Event::kAnswer:
            return checkAnswer(e.answer());
        case v1::Event::kUndo:
            return checkUndo(e);
        case v1::Event::kSuspension:
            if (!isItemId(e.suspension().item_id()))
                return "suspension.item_id must be 1-128 characters without control characters";
            return std::nullopt;
        case v1::Event::kSetting:
            return checkSetting(e.setting());
        case v1::Event::kMockExam:
            return checkMockExam(e, nowMs);
        case v1::Event::kSession:
            return checkSession(e.session());
        case v1::Event::kParameters:
            return checkParameters(e.parameters());
        case v1::Event::PAYLOAD_NOT_SET:
            break;
    }
    return "the event has no payload this version knows (a newer peer's event kind?)";
}

std::string eventName(const v1::Event& e) {
    return "event " + quoted(e.id()) + ": ";
}

// Everything but the id's syntax and the learner.
Problem checkBody(const v1::Event& e, int64_t nowMs) {
    if (e.ByteSizeLong() > kMaxEventBytes)
        return "larger than " + std::to_string(kMaxEventBytes / 1024) + " KiB";
    if (auto problem = checkTimes(e, nowMs))
        return problem;
    return checkPayload(e, nowMs);
}

}  // namespace

std::optional<std::string> checkEvent(const v1::Event& e, int64_t nowMs) {
    if (!isValidEventId(e.id()))
        return eventName(e) + "id must be \"<16 hex digits>-<sequence>\"";
    if (auto problem = checkBody(e, nowMs))
        return eventName(e) + *problem;
    return std::nullopt;
}

std::optional<std::string> checkForeignEvent(const v1::Event& e, const std::string& learnerId,
                                             int64_t nowMs) {
    if (!isValidEventId(e.id()))
        return eventName(e) + "id must be \"<16 hex digits>-<sequence>\"";
    if (e.learner_id() != learnerId)
        return eventName(e) + "learner_id " + quoted(e.learner_id()) + " is not the learner being synced (" +
               learnerId + ")";
    if (auto problem = checkBody(e, nowMs))
        return eventName(e) + *problem;
    return std::nullopt;
}

}  // namespace retain::core
