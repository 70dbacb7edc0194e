#pragma once
// Every request type that has an access policy (service/access.h), in the order of that file: the
// validation target's first input byte picks one (modulo the count), and the seed generator writes one
// seed per type. Append only, so that the committed seeds keep their meaning.

#include <cstddef>
#include <tuple>
#include <utility>

#include "retain/v1/admin.pb.h"
#include "retain/v1/content_service.pb.h"
#include "retain/v1/learner.pb.h"
#include "retain/v1/mock_exam.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"
#include "retain/v1/study.pb.h"
#include "retain/v1/sync.pb.h"

namespace retain::fuzz {

namespace v1 = ::retain::v1;

using Requests = std::tuple<
    // LearnerService
    v1::CreateLearnerRequest, v1::GetLearnerRequest, v1::ListLearnersRequest, v1::UpdateSettingsRequest,
    v1::OptimizeParametersRequest,
    // ContentService
    v1::GetBlueprintRequest, v1::ListBlueprintsRequest, v1::SearchItemsRequest, v1::GetItemRequest,
    v1::SetSuspendedRequest,
    // StudyService
    v1::StartSessionRequest, v1::NextItemRequest, v1::AnswerRequest, v1::UndoRequest, v1::EndSessionRequest,
    v1::GetSessionSummaryRequest, v1::ImportReviewsRequest,
    // ProgressService
    v1::GetMasteryRequest, v1::GetDueForecastRequest, v1::GetReviewHistoryRequest, v1::GetRetentionRequest,
    v1::GetTodayRequest,
    // ReadinessService
    v1::GetReadinessRequest, v1::GetReadinessHistoryRequest,
    // MockExamService
    v1::StartMockRequest, v1::GetMockRequest, v1::AnswerMockRequest, v1::FlagQuestionRequest,
    v1::PauseMockRequest, v1::SubmitMockRequest, v1::GetMockReportRequest, v1::ListMocksRequest,
    // AdminService
    v1::GetVersionRequest, v1::BackupRequest, v1::RebuildRequest, v1::ReloadContentRequest,
    v1::SetClockRequest, v1::CreateAccessTokenRequest, v1::ListAccessTokensRequest,
    v1::RevokeAccessTokenRequest,
    // SyncControlService
    v1::SetupSyncRequest, v1::SyncNowRequest, v1::GetSyncStatusRequest, v1::DisableSyncRequest,
    // SyncAccountService
    v1::AddSyncLearnerRequest, v1::RevokeTokenRequest, v1::ListAccountsRequest>;

inline constexpr size_t kRequestCount = std::tuple_size_v<Requests>;

// Calls fn(Request{}) with the request type at `index` (< kRequestCount).
template <typename Fn, size_t... I>
void withRequestType(size_t index, Fn&& fn, std::index_sequence<I...>) {
    ((index == I ? fn(std::tuple_element_t<I, Requests>{}) : void()), ...);
}
template <typename Fn>
void withRequestType(size_t index, Fn&& fn) {
    withRequestType(index, std::forward<Fn>(fn), std::make_index_sequence<kRequestCount>{});
}

}  // namespace retain::fuzz
