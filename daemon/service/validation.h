#pragma once
// Request validation: shape and ranges, before anything touches the engine. Each function returns an
// INVALID_ARGUMENT error whose message starts with the offending field, or nullopt.

#include <optional>

#include "core/result.h"
#include "retain/v1/admin.pb.h"
#include "retain/v1/content_service.pb.h"
#include "retain/v1/learner.pb.h"
#include "retain/v1/mock_exam.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"
#include "retain/v1/study.pb.h"

namespace retain::service {

namespace v1 = ::retain::v1;
using Invalid = std::optional<core::Error>;

Invalid validate(const v1::CreateLearnerRequest& r);
Invalid validate(const v1::GetLearnerRequest& r);
Invalid validate(const v1::ListLearnersRequest& r);
Invalid validate(const v1::UpdateSettingsRequest& r);
Invalid validate(const v1::GetBlueprintRequest& r);
Invalid validate(const v1::ListBlueprintsRequest& r);
Invalid validate(const v1::SearchItemsRequest& r);
Invalid validate(const v1::GetItemRequest& r);
Invalid validate(const v1::SetSuspendedRequest& r);
Invalid validate(const v1::StartSessionRequest& r);
Invalid validate(const v1::NextItemRequest& r);
Invalid validate(const v1::AnswerRequest& r);
Invalid validate(const v1::UndoRequest& r);
Invalid validate(const v1::EndSessionRequest& r);
Invalid validate(const v1::GetSessionSummaryRequest& r);
Invalid validate(const v1::ImportReviewsRequest& r);
Invalid validate(const v1::GetMasteryRequest& r);
Invalid validate(const v1::GetDueForecastRequest& r);
Invalid validate(const v1::GetReviewHistoryRequest& r);
Invalid validate(const v1::GetRetentionRequest& r);
Invalid validate(const v1::GetTodayRequest& r);
Invalid validate(const v1::GetReadinessRequest& r);
Invalid validate(const v1::StartMockRequest& r);
Invalid validate(const v1::GetMockRequest& r);
Invalid validate(const v1::AnswerMockRequest& r);
Invalid validate(const v1::FlagQuestionRequest& r);
Invalid validate(const v1::PauseMockRequest& r);
Invalid validate(const v1::SubmitMockRequest& r);
Invalid validate(const v1::GetMockReportRequest& r);
Invalid validate(const v1::ListMocksRequest& r);
Invalid validate(const v1::GetReadinessHistoryRequest& r);
Invalid validate(const v1::GetVersionRequest& r);
Invalid validate(const v1::BackupRequest& r);
Invalid validate(const v1::RebuildRequest& r);
Invalid validate(const v1::ReloadContentRequest& r);
Invalid validate(const v1::SetClockRequest& r);
Invalid validate(const v1::CreateAccessTokenRequest& r);
Invalid validate(const v1::ListAccessTokensRequest& r);
Invalid validate(const v1::RevokeAccessTokenRequest& r);

// Shared checks.
Invalid checkLearnerId(const std::string& id, const char* field = "learner_id");
Invalid checkSessionId(const std::string& id, const char* field = "session_id");
Invalid checkItemId(const std::string& id, const char* field = "item_id");
Invalid checkSettings(const v1::LearnerSettings& s, const std::vector<std::string>& fields, bool onlySet);
// An import's review times against the daemon's clock (`nowMs`, which a simulated clock may put anywhere):
// none more than a day ahead. Called on the engine's strand, after validate().
Invalid checkReviewTimes(const v1::ImportReviewsRequest& r, int64_t nowMs);

}  // namespace retain::service
