#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/review_log_csv.h"

#ifndef RETAIN_TEST_DATA_DIR
#define RETAIN_TEST_DATA_DIR "/work/main/tests/data"
#endif

namespace retain::core {
namespace {

constexpr const char* kHeader = "card_id,review_rating,review_time,review_duration\n";

std::string errorOf(const std::string& csv) {
    const auto r = parseReviewLogCsv(csv);
    return r ? std::string("(parsed)") : r.error().message;
}

TEST(ReviewLogCsv, theRealLogParsesTo12580ReviewsOf1205Cards) {
    const auto r = readReviewLogCsv(std::string(RETAIN_TEST_DATA_DIR) + "/reviews/josh.csv");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->size(), 12580u);
    std::set<std::string> cards;
    int counts[5] = {};
    for (const auto& rec : *r) {
        cards.insert(rec.cardId);
        ++counts[static_cast<int>(rec.rating)];
    }
    EXPECT_EQ(cards.size(), 1205u);
    EXPECT_EQ(counts[1], 3676);  // Again
    EXPECT_EQ(counts[2], 1);     // Hard
    EXPECT_EQ(counts[3], 8903);  // Good
    EXPECT_EQ(counts[4], 0);     // Easy
    const auto& first = r->front();
    EXPECT_EQ(first.cardId, "1711684180217");
    EXPECT_EQ(first.rating, Rating::Again);
    EXPECT_EQ(first.timeMs, 1711744352250);  // 2024-03-29T20:32:32.250000+00:00, the file name's start
    EXPECT_EQ(first.durationMs, 25060);
    EXPECT_EQ(first.line, 2);
    EXPECT_EQ(r->back().timeMs, 1728234780857);  // the file name's end
}

TEST(ReviewLogCsv, parsesIsoTimesWithZonesFractionsAndNoFraction) {
    EXPECT_EQ(parseIso8601Ms("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parseIso8601Ms("2024-03-29T20:32:32.250000+00:00"), 1711744352250);
    EXPECT_EQ(parseIso8601Ms("2024-03-29T22:32:32.25+02:00"), 1711744352250);
    EXPECT_EQ(parseIso8601Ms("2024-03-29T15:02:32.250-0530"), 1711744352250);
    EXPECT_EQ(parseIso8601Ms("2024-03-30T17:03:18+00:00"), 1711818198000);
    EXPECT_EQ(parseIso8601Ms("2024-02-29T00:00:00Z"), 1709164800000);  // leap day
    EXPECT_FALSE(parseIso8601Ms("2023-02-29T00:00:00Z"));              // not a leap year
    EXPECT_FALSE(parseIso8601Ms("2024-03-29T20:32:32"));               // no zone: ambiguous
    EXPECT_FALSE(parseIso8601Ms("2024-03-29 20:32"));
    EXPECT_FALSE(parseIso8601Ms("2024-13-01T00:00:00Z"));
    EXPECT_FALSE(parseIso8601Ms("2024-03-29T24:00:00Z"));
    EXPECT_FALSE(parseIso8601Ms("2024-03-29T20:32:32.Z"));
    EXPECT_FALSE(parseIso8601Ms("2024-03-29T20:32:32Zjunk"));
}

TEST(ReviewLogCsv, acceptsQuotesCrlfBomReorderedAndExtraColumnsAndBlankLines) {
    const std::string csv =
        "\xEF\xBB\xBFreview_time,note,card_id,review_duration,review_rating\r\n"
        "2024-01-01T10:00:00Z,\"hello, world\",\"card \"\"7\"\"\",1500,3\r\n"
        "\r\n"
        "2024-01-02T10:00:00.5Z,,42,,1\r\n";
    const auto r = parseReviewLogCsv(csv);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].cardId, "card \"7\"");
    EXPECT_EQ((*r)[0].rating, Rating::Good);
    EXPECT_EQ((*r)[0].durationMs, 1500);
    EXPECT_EQ((*r)[1].durationMs, -1);  // empty: unknown
    EXPECT_EQ((*r)[1].timeMs % 1000, 500);
    EXPECT_EQ((*r)[1].line, 4);
}

TEST(ReviewLogCsv, aBadRatingIsNamedByLineAndColumn) {
    const auto msg =
        errorOf(std::string(kHeader) + "1,3,2024-01-01T00:00:00Z,10\n2,5,2024-01-01T00:00:00Z,10\n");
    EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("column 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("review_rating"), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"5\""), std::string::npos) << msg;
}

TEST(ReviewLogCsv, aBadTimeDurationOrCardIsNamedByLineAndColumn) {
    auto msg = errorOf(std::string(kHeader) + "1,3,yesterday,10\n");
    EXPECT_NE(msg.find("line 2, column 3 (review_time)"), std::string::npos) << msg;
    msg = errorOf(std::string(kHeader) + "1,3,2024-01-01T00:00:00,10\n");
    EXPECT_NE(msg.find("line 2, column 3"), std::string::npos) << msg;
    msg = errorOf(std::string(kHeader) + "1,3,2024-01-01T00:00:00Z,10\n1,3,2024-01-01T00:00:00Z,-4\n");
    EXPECT_NE(msg.find("line 3, column 4 (review_duration)"), std::string::npos) << msg;
    msg = errorOf(std::string(kHeader) + ",3,2024-01-01T00:00:00Z,10\n");
    EXPECT_NE(msg.find("line 2, column 1 (card_id)"), std::string::npos) << msg;
    msg = errorOf(std::string(kHeader) + "1,3\n");
    EXPECT_NE(msg.find("line 2, column 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
    msg = errorOf(std::string(kHeader) + "1,2.5,2024-01-01T00:00:00Z,10\n");
    EXPECT_NE(msg.find("line 2, column 2"), std::string::npos) << msg;
}

TEST(ReviewLogCsv, aBadHeaderOrQuoteOrEmptyInputIsAnError) {
    auto msg = errorOf("card_id,review_rating,review_duration\n1,3,10\n");
    EXPECT_NE(msg.find("line 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("review_time"), std::string::npos) << msg;
    msg = errorOf(std::string(kHeader) + "\"1,3,2024-01-01T00:00:00Z,10\n");
    EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("quote"), std::string::npos) << msg;
    msg = errorOf("");
    EXPECT_NE(msg.find("line 1"), std::string::npos) << msg;
    const auto missing = readReviewLogCsv("/nonexistent/reviews.csv");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("/nonexistent/reviews.csv"), std::string::npos);
}

TEST(ReviewLogCsv, aFileErrorNamesThePathAndTheLine) {
    // Through readReviewLogCsv the message carries the path too.
    const auto r = readReviewLogCsv(std::string(RETAIN_TEST_DATA_DIR) + "/reviews/README.md");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("README.md"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("line 1"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace retain::core
