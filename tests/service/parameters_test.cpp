// Importing a real review history and fitting personal FSRS parameters through the API.
#include <gtest/gtest.h>

#include <thread>

#include "core/review_log_csv.h"
#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

class Parameters : public DaemonTest {
protected:
    v1::ImportReviewsResponse importAll(const std::string& learner) {
        auto rows = core::readReviewLogCsv(std::string(RETAIN_TEST_DATA_DIR) + "/reviews/josh.csv");
        EXPECT_TRUE(rows);
        v1::ImportReviewsResponse total;
        for (size_t start = 0; start < rows->size(); start += 5000) {
            v1::ImportReviewsRequest req;
            req.set_learner_id(learner);
            for (size_t i = start; i < std::min(rows->size(), start + 5000); ++i) {
                auto* r = req.add_reviews();
                r->set_card_id((*rows)[i].cardId);
                r->set_rating(static_cast<v1::Rating>((*rows)[i].rating));
                r->set_time_ms((*rows)[i].timeMs);
                r->set_duration_ms(static_cast<uint32_t>(std::max<int64_t>(0, (*rows)[i].durationMs)));
            }
            auto r = m_client->importReviews(req);
            EXPECT_TRUE(r) << r.error().format();
            if (!r)
                break;
            total.set_imported(total.imported() + r->imported());
            total.set_duplicates(total.duplicates() + r->duplicates());
            total.set_total_imported(r->total_imported());
        }
        return total;
    }

    // The import starts an automatic fit; an on-demand call while it runs is refused, so retry.
    rpc::Reply<v1::OptimizationReport> optimize(const std::string& learner) {
        v1::OptimizeParametersRequest req;
        req.set_learner_id(learner);
        for (int i = 0; i < 600; ++i) {
            auto r = m_client->optimizeParameters(req);
            if (r || r.error().message.find("already running") == std::string::npos)
                return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return m_client->optimizeParameters(req);
    }
};

TEST_F(Parameters, importIsIdempotentAndFitsAreJudgedOnHeldOutReviews) {
    const std::string learner = learnerId();
    const auto first = importAll(learner);
    EXPECT_EQ(first.imported(), 12580u);
    EXPECT_EQ(first.total_imported(), 12580u);
    const auto again = importAll(learner);
    EXPECT_EQ(again.imported(), 0u);
    EXPECT_EQ(again.duplicates(), 12580u);

    auto report = optimize(learner);
    ASSERT_TRUE(report) << report.error().format();
    EXPECT_EQ(report->reviews(), 12580u);
    EXPECT_GT(report->held_out(), 1000u);
    EXPECT_GT(report->current_log_loss(), 0.1);
    EXPECT_GT(report->candidate_log_loss(), 0.1);
    EXPECT_EQ(report->w_size(), 21);
    EXPECT_GT(report->auc(), 0.5);
    // Adopted exactly when the fit predicts the held-out reviews better.
    EXPECT_EQ(report->adopted(), report->candidate_log_loss() < report->current_log_loss())
        << report->reason();
    v1::GetLearnerRequest get;
    get.set_learner(learner);
    auto before = m_client->getLearner(get);
    ASSERT_TRUE(before);
    // A personal fit on this log beats the defaults (the automatic fit or this one adopted it).
    EXPECT_TRUE(before->personal_parameters());
    // Parameters are an event: they survive a restart.
    stopDaemon();
    startDaemon();
    auto after = m_client->getLearner(get);
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->personal_parameters());
}

TEST_F(Parameters, tooFewReviewsIsAClearFailedPrecondition) {
    v1::OptimizeParametersRequest req;
    req.set_learner_id(learnerId());
    auto r = m_client->optimizeParameters(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().codeName, "FAILED_PRECONDITION");
    EXPECT_NE(r.error().message.find("at least 400 reviews"), std::string::npos);
}

TEST_F(Parameters, importRejectsBadRowsNamingTheField) {
    v1::ImportReviewsRequest req;
    req.set_learner_id(learnerId());
    auto* r = req.add_reviews();
    r->set_card_id("c1");
    r->set_rating(v1::GOOD);
    r->set_time_ms(1'700'000'000'000);
    auto* bad = req.add_reviews();
    bad->set_card_id("c2");
    bad->set_rating(static_cast<v1::Rating>(7));
    bad->set_time_ms(1'700'000'000'000);
    auto reply = m_client->importReviews(req);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().codeName, "INVALID_ARGUMENT");
    EXPECT_NE(reply.error().message.find("reviews[1].rating"), std::string::npos);
}

}  // namespace
}  // namespace retain::test
