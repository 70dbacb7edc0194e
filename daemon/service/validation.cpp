#include "service/validation.h"

#include <cmath>

#include "core/event_check.h"
#include "core/ids.h"
#include "core/learner_settings.h"
#include "core/study_day.h"

namespace retain::service {

namespace {
core::Error bad(const std::string& field, const std::string& what) {
    return core::invalidArgument(field + ": " + what);
}

// Text form of one LearnerSettings field, as the settings events carry it.
std::string settingText(const v1::LearnerSettings& s, const std::string& key) {
    const auto* field = v1::LearnerSettings::descriptor()->FindFieldByName(key);
    const auto* refl = v1::LearnerSettings::GetReflection();
    switch (field->cpp_type()) {
        case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
            return refl->GetString(s, field);
        case google::protobuf::FieldDescriptor::CPPTYPE_UINT32:
            return std::to_string(refl->GetUInt32(s, field));
        case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: {
            core::LearnerSettings tmp;
            tmp.desiredRetention = refl->GetDouble(s, field);
            return std::isfinite(tmp.desiredRetention) ? tmp.get("desired_retention") : "nan";
        }
        default:
            return {};
    }
}
}  // namespace

Invalid checkLearnerId(const std::string& id, const char* field) {
    if (id.empty())
        return bad(field, "is required");
    if (!core::isHex(id, 32))
        return bad(field,
                   "must be a learner id (32 lower-case hex digits), got \"" + id.substr(0, 40) + "\"");
    return std::nullopt;
}

Invalid checkSessionId(const std::string& id, const char* field) {
    if (id.empty())
        return bad(field, "is required");
    if (!core::isHex(id, 16))
        return bad(field, "must be a session id (16 lower-case hex digits)");
    return std::nullopt;
}

Invalid checkItemId(const std::string& id, const char* field) {
    if (id.empty())
        return bad(field, "is required");
    if (id.size() > 96)
        return bad(field, "is longer than 96 characters");
    return std::nullopt;
}

Invalid checkSettings(const v1::LearnerSettings& s, const std::vector<std::string>& fields, bool onlySet) {
    for (const auto& key : fields) {
        if (!core::LearnerSettings::isKey(key))
            return bad("fields", "\"" + key.substr(0, 40) + "\" " + *core::LearnerSettings::check(key, ""));
        const std::string value = settingText(s, key);
        if (onlySet && (value.empty() || value == "0"))
            continue;
        if (key == "exam_code" && value.empty())
            continue;  // empty: the default exam
        if (auto problem = core::LearnerSettings::check(key, value))
            return bad("settings." + key, *problem);
    }
    return std::nullopt;
}

Invalid validate(const v1::CreateLearnerRequest& r) {
    if (r.name().empty())
        return bad("name", "is required");
    if (!core::isValidLearnerName(r.name()))
        return bad("name", "must be 1-64 characters of letters, digits, '.', '_' or '-', got \"" +
                               r.name().substr(0, 80) + "\"");
    if (!r.id().empty())
        if (auto e = checkLearnerId(r.id(), "id"))
            return e;
    return checkSettings(r.settings(), core::LearnerSettings::keys(), true);
}

Invalid validate(const v1::GetLearnerRequest& r) {
    if (r.learner().empty())
        return bad("learner", "is required (a learner id or name)");
    if (r.learner().size() > 64)
        return bad("learner", "is longer than 64 characters");
    return std::nullopt;
}

Invalid validate(const v1::ListLearnersRequest&) {
    return std::nullopt;
}

Invalid validate(const v1::UpdateSettingsRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (r.fields().empty())
        return bad("fields", "is required: name the settings to change, e.g. \"exam_date\"");
    // One event per field: a field named twice (or 100,000 times) would write as many events.
    if (r.fields_size() > static_cast<int>(core::LearnerSettings::keys().size()))
        return bad("fields", "names " + std::to_string(r.fields_size()) + " settings; there are only " +
                                 std::to_string(core::LearnerSettings::keys().size()));
    std::vector<std::string> fields(r.fields().begin(), r.fields().end());
    for (size_t i = 0; i < fields.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (fields[i] == fields[j])
                return bad("fields", "names \"" + fields[i].substr(0, 40) + "\" twice");
    return checkSettings(r.settings(), fields, false);
}

Invalid validate(const v1::GetBlueprintRequest& r) {
    if (r.exam_code().empty())
        return bad("exam_code", "is required, e.g. \"MLS-C01\"");
    return std::nullopt;
}

Invalid validate(const v1::ListBlueprintsRequest&) {
    return std::nullopt;
}

Invalid validate(const v1::SearchItemsRequest& r) {
    if (!r.learner_id().empty())
        if (auto e = checkLearnerId(r.learner_id()))
            return e;
    if (r.page_size() > 500)
        return bad("page_size", "must be at most 500, got " + std::to_string(r.page_size()));
    if (r.query().size() > 200)
        return bad("query", "is longer than 200 characters");
    if (!r.page_token().empty() &&
        (r.page_token().size() > 9 || r.page_token().find_first_not_of("0123456789") != std::string::npos))
        return bad("page_token", "is not a token returned by a previous page");
    if (!v1::ItemKind_IsValid(r.kind()))
        return bad("kind", "is not a known item kind");
    if (!v1::ItemState_IsValid(r.state()))
        return bad("state", "is not a known item state");
    if (r.state() != v1::ITEM_STATE_UNSPECIFIED && r.learner_id().empty())
        return bad("state", "filtering by state needs learner_id");
    return std::nullopt;
}

Invalid validate(const v1::GetItemRequest& r) {
    if (auto e = checkItemId(r.item_id()))
        return e;
    if (!r.learner_id().empty())
        if (auto e = checkLearnerId(r.learner_id()))
            return e;
    return std::nullopt;
}

Invalid validate(const v1::SetSuspendedRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    return checkItemId(r.item_id());
}

Invalid validate(const v1::StartSessionRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (!v1::StudyMode_IsValid(r.mode()) || r.mode() == v1::MOCK_EXAM || r.mode() == v1::IMPORTED)
        return bad("mode", "must be DAILY_REVIEW, DRILL or REVIEW_MISTAKES");
    if (r.mode() == v1::DRILL && r.scope().empty())
        return bad("scope", "DRILL needs a domain (\"3\") or task statement (\"3.2\")");
    if (r.mode() != v1::DRILL && !r.scope().empty())
        return bad("scope", "is only used with DRILL");
    if (r.minutes() > 600)
        return bad("minutes", "must be 1-600, got " + std::to_string(r.minutes()));
    if (r.max_items() > 1000)
        return bad("max_items", "must be 1-1000, got " + std::to_string(r.max_items()));
    return std::nullopt;
}

Invalid validate(const v1::NextItemRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    return checkSessionId(r.session_id());
}

Invalid validate(const v1::AnswerRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (auto e = checkSessionId(r.session_id()))
        return e;
    if (auto e = checkItemId(r.item_id()))
        return e;
    if (!v1::Rating_IsValid(r.rating()))
        return bad("rating", "must be AGAIN, HARD, GOOD or EASY");
    if (r.response_ms() == 0 || r.response_ms() > 3600000)
        return bad("response_ms",
                   "must be 1 to 3600000 milliseconds, got " + std::to_string(r.response_ms()));
    if (r.chosen_options_size() > 20)
        return bad("chosen_options", "has more than 20 entries");
    return std::nullopt;
}

Invalid validate(const v1::UndoRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (auto e = checkSessionId(r.session_id()))
        return e;
    if (!r.answer_event_id().empty() && !core::isValidEventId(r.answer_event_id()))
        return bad("answer_event_id", "is not an event id (\"<16 hex>-<sequence>\")");
    return std::nullopt;
}

Invalid validate(const v1::EndSessionRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    return checkSessionId(r.session_id());
}

Invalid validate(const v1::GetSessionSummaryRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    return checkSessionId(r.session_id());
}

Invalid validate(const v1::ImportReviewsRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (r.reviews().empty())
        return bad("reviews", "is empty: send 1 to 5000 reviews");
    if (r.reviews_size() > 5000)
        return bad("reviews",
                   "has " + std::to_string(r.reviews_size()) + " entries; send at most 5000 per call");
    // Not before 1990 here; not in the future by more than a day in checkReviewTimes(), against the
    // daemon's clock.
    for (int i = 0; i < r.reviews_size(); ++i) {
        const auto& rv = r.reviews(i);
        const std::string field = "reviews[" + std::to_string(i) + "]";
        if (rv.card_id().empty() || rv.card_id().size() > 80)
            return bad(field + ".card_id", "must be 1 to 80 characters");
        for (unsigned char ch : rv.card_id())
            if (ch < 0x20 || ch == 0x7f)
                return bad(field + ".card_id", "contains a control character");
        if (rv.rating() < v1::AGAIN || rv.rating() > v1::EASY)
            return bad(field + ".rating", "must be AGAIN, HARD, GOOD or EASY (1-4)");
        if (rv.time_ms() < core::kEarliestEventMs)
            return bad(field + ".time_ms",
                       "must be a time between 1990 and now, got " + std::to_string(rv.time_ms()));
        if (rv.duration_ms() > 86'400'000)
            return bad(field + ".duration_ms", "must be at most a day (86400000 ms)");
    }
    return std::nullopt;
}

Invalid checkReviewTimes(const v1::ImportReviewsRequest& r, int64_t nowMs) {
    for (int i = 0; i < r.reviews_size(); ++i)
        if (r.reviews(i).time_ms() > nowMs + core::kMaxEventAheadMs)
            return bad("reviews[" + std::to_string(i) + "].time_ms",
                       "must be a time between 1990 and now, got " + std::to_string(r.reviews(i).time_ms()) +
                           " (now is " + std::to_string(nowMs) + ")");
    return std::nullopt;
}

Invalid validate(const v1::GetMasteryRequest& r) {
    return checkLearnerId(r.learner_id());
}

Invalid validate(const v1::GetDueForecastRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (r.days() > 365)
        return bad("days", "must be 1-365, got " + std::to_string(r.days()));
    return std::nullopt;
}

Invalid validate(const v1::GetReviewHistoryRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    std::optional<int64_t> from, to;
    if (!r.from_date().empty() && !(from = core::StudyDayClock::parseIsoDate(r.from_date())))
        return bad("from_date", "must be a date YYYY-MM-DD, got \"" + r.from_date().substr(0, 40) + "\"");
    if (!r.to_date().empty() && !(to = core::StudyDayClock::parseIsoDate(r.to_date())))
        return bad("to_date", "must be a date YYYY-MM-DD, got \"" + r.to_date().substr(0, 40) + "\"");
    if (from && to && *from > *to)
        return bad("from_date", "is after to_date");
    return std::nullopt;
}

Invalid validate(const v1::GetRetentionRequest& r) {
    return checkLearnerId(r.learner_id());
}
Invalid validate(const v1::GetTodayRequest& r) {
    return checkLearnerId(r.learner_id());
}
Invalid validate(const v1::GetReadinessRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (!r.date().empty() && !core::StudyDayClock::parseIsoDate(r.date()))
        return bad("date", "must be a date YYYY-MM-DD, got \"" + r.date().substr(0, 40) + "\"");
    return std::nullopt;
}

Invalid validate(const v1::GetReadinessHistoryRequest& r) {
    return checkLearnerId(r.learner_id());
}

Invalid validate(const v1::GetVersionRequest&) {
    return std::nullopt;
}

Invalid validate(const v1::BackupRequest& r) {
    if (r.path().empty())
        return bad("path", "is required (an absolute path for the new backup file)");
    if (r.path().size() > 4096)
        return bad("path", "is longer than 4096 bytes");
    if (r.path().find('\0') != std::string::npos)
        return bad("path", "contains a NUL byte");
    if (r.path().front() != '/')
        return bad("path", "must be absolute, got \"" + r.path().substr(0, 80) + "\"");
    if (r.path().back() == '/')
        return bad("path", "names a directory; give the path of the new backup file");
    return std::nullopt;
}

Invalid validate(const v1::CreateAccessTokenRequest& r) {
    if (r.admin() && !r.learner().empty())
        return bad("learner", "must be empty for an admin token (an admin token is for every learner)");
    if (!r.admin() && r.learner().empty())
        return bad("learner", "is required (the learner the token is for), unless admin is set");
    if (r.learner().size() > 64)
        return bad("learner", "is longer than 64 characters");
    if (r.label().size() > 64)
        return bad("label", "is longer than 64 characters");
    for (unsigned char c : r.label())
        if (c < 0x20 || c == 0x7f)
            return bad("label", "contains a control character");
    return std::nullopt;
}

Invalid validate(const v1::ListAccessTokensRequest&) {
    return std::nullopt;
}

Invalid validate(const v1::RevokeAccessTokenRequest& r) {
    if (!core::isHex(r.prefix(), 8))
        return bad("prefix", "must be the token's first 8 hex digits (as `retainctl access list` shows)");
    return std::nullopt;
}

Invalid validate(const v1::RebuildRequest& r) {
    if (!r.learner_id().empty())
        return checkLearnerId(r.learner_id());
    return std::nullopt;
}

Invalid validate(const v1::ReloadContentRequest&) {
    return std::nullopt;
}

Invalid validate(const v1::SetClockRequest& r) {
    if (r.now_ms() <= 0)
        return bad("now_ms", "must be a positive time in milliseconds since the Unix epoch");
    return std::nullopt;
}

namespace {
Invalid checkMock(const std::string& learner, const std::string& mock) {
    if (auto e = checkLearnerId(learner))
        return e;
    return checkSessionId(mock, "mock_id");
}
Invalid checkNumber(uint32_t n) {
    if (n == 0 || n > 500)
        return bad("number", "must be a question number starting at 1, got " + std::to_string(n));
    return std::nullopt;
}
}  // namespace

Invalid validate(const v1::StartMockRequest& r) {
    if (auto e = checkLearnerId(r.learner_id()))
        return e;
    if (r.questions() > 500)
        return bad("questions", "must be at most the form's size, got " + std::to_string(r.questions()));
    if (r.minutes() > 600)
        return bad("minutes", "must be 1-600, got " + std::to_string(r.minutes()));
    return std::nullopt;
}
Invalid validate(const v1::GetMockRequest& r) {
    return checkMock(r.learner_id(), r.mock_id());
}
Invalid validate(const v1::AnswerMockRequest& r) {
    if (auto e = checkMock(r.learner_id(), r.mock_id()))
        return e;
    if (r.chosen_options_size() > 20)
        return bad("chosen_options", "has more than 20 entries");
    return checkNumber(r.number());
}
Invalid validate(const v1::FlagQuestionRequest& r) {
    if (auto e = checkMock(r.learner_id(), r.mock_id()))
        return e;
    return checkNumber(r.number());
}
Invalid validate(const v1::PauseMockRequest& r) {
    return checkMock(r.learner_id(), r.mock_id());
}
Invalid validate(const v1::SubmitMockRequest& r) {
    return checkMock(r.learner_id(), r.mock_id());
}
Invalid validate(const v1::GetMockReportRequest& r) {
    return checkMock(r.learner_id(), r.mock_id());
}
Invalid validate(const v1::ListMocksRequest& r) {
    return checkLearnerId(r.learner_id());
}

}  // namespace retain::service
