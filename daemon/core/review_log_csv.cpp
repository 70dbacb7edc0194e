#include "core/review_log_csv.h"

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

namespace retain::core {
namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), H. Hinnant's days_from_civil.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// Reads exactly n digits at s[pos..]; advances pos.
std::optional<int> digits(std::string_view s, size_t& pos, size_t n) {
    if (pos + n > s.size())
        return std::nullopt;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

bool expect(std::string_view s, size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// Splits one CSV line into fields (RFC 4180 quoting within the line; a quoted field cannot span
// lines). Returns false on an unterminated quote.
bool splitCsvLine(std::string_view line, std::vector<std::string>& fields) {
    fields.clear();
    std::string cur;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    cur += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cur += c;
            }
        } else if (c == '"' && cur.empty()) {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    fields.push_back(std::move(cur));
    return !quoted;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

Error rowError(int line, int column, std::string_view name, const std::string& reason) {
    return invalidArgument("line " + std::to_string(line) + ", column " + std::to_string(column) + " (" +
                           std::string(name) + "): " + reason);
}

}  // namespace

std::optional<int64_t> parseIso8601Ms(std::string_view s) {
    size_t p = 0;
    const auto year = digits(s, p, 4);
    if (!year || !expect(s, p, '-'))
        return std::nullopt;
    const auto month = digits(s, p, 2);
    if (!month || !expect(s, p, '-'))
        return std::nullopt;
    const auto day = digits(s, p, 2);
    if (!day || !(expect(s, p, 'T') || expect(s, p, 't') || expect(s, p, ' ')))
        return std::nullopt;
    const auto hour = digits(s, p, 2);
    if (!hour || !expect(s, p, ':'))
        return std::nullopt;
    const auto minute = digits(s, p, 2);
    if (!minute || !expect(s, p, ':'))
        return std::nullopt;
    const auto second = digits(s, p, 2);
    if (!second)
        return std::nullopt;
    if (*month < 1 || *month > 12 || *day < 1 || *day > daysInMonth(*year, *month) || *hour > 23 ||
        *minute > 59 || *second > 59)
        return std::nullopt;
    int64_t ms = 0;
    if (expect(s, p, '.') || expect(s, p, ',')) {
        int scale = 100, n = 0;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
            ms += (s[p] - '0') * scale;
            scale /= 10;
            ++p;
            ++n;
        }
        if (n == 0)
            return std::nullopt;
    }
    int offsetMinutes = 0;
    if (expect(s, p, 'Z') || expect(s, p, 'z')) {
        // UTC
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
        const int sign = s[p] == '-' ? -1 : 1;
        ++p;
        const auto oh = digits(s, p, 2);
        if (!oh)
            return std::nullopt;
        expect(s, p, ':');
        const auto om = digits(s, p, 2);
        if (!om || *oh > 14 || *om > 59)
            return std::nullopt;
        offsetMinutes = sign * (*oh * 60 + *om);
    } else {
        return std::nullopt;  // no zone: the instant would be ambiguous
    }
    if (p != s.size())
        return std::nullopt;
    const int64_t days = daysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
    const int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offsetMinutes * 60;
    return seconds * 1000 + ms;
}

Result<std::vector<ReviewLogRecord>> parseReviewLogCsv(std::string_view text) {
    static constexpr std::array<std::string_view, 4> kNames = {"card_id", "review_rating", "review_time",
                                                               "review_duration"};
    std::vector<ReviewLogRecord> out;
    std::array<int, 4> index = {-1, -1, -1, -1};  // field index of each named column
    std::vector<std::string> fields;
    bool haveHeader = false;
    int lineNo = 0;
    size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")  // UTF-8 byte order mark
        pos = 3;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (trim(line).empty())
            continue;
        if (!splitCsvLine(line, fields))
            return invalidArgument("line " + std::to_string(lineNo) + ": unterminated quoted field");
        if (!haveHeader) {
            for (size_t f = 0; f < fields.size(); ++f)
                for (size_t k = 0; k < kNames.size(); ++k)
                    if (trim(fields[f]) == kNames[k]) {
                        if (index[k] >= 0)
                            return rowError(lineNo, static_cast<int>(f) + 1, kNames[k], "column named twice");
                        index[k] = static_cast<int>(f);
                    }
            for (size_t k = 0; k < kNames.size(); ++k)
                if (index[k] < 0)
                    return invalidArgument("line " + std::to_string(lineNo) +
                                           ": the header lacks the column " + std::string(kNames[k]) +
                                           " (expected card_id,review_rating,review_time,review_duration)");
            haveHeader = true;
            continue;
        }
        ReviewLogRecord r;
        r.line = lineNo;
        for (size_t k = 0; k < kNames.size(); ++k) {
            const int f = index[k];
            const int column = f + 1;
            if (static_cast<size_t>(f) >= fields.size())
                return rowError(lineNo, column, kNames[k],
                                "missing (the row has " + std::to_string(fields.size()) + " fields)");
            const std::string_view v = trim(fields[static_cast<size_t>(f)]);
            const std::string quoted = "\"" + std::string(v.substr(0, 40)) + "\"";
            switch (k) {
                case 0:
                    if (v.empty())
                        return rowError(lineNo, column, kNames[k], "empty card id");
                    r.cardId = std::string(v);
                    break;
                case 1: {
                    int rating = 0;
                    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), rating);
                    if (ec != std::errc() || ptr != v.data() + v.size() || rating < 1 || rating > 4)
                        return rowError(lineNo, column, kNames[k], "expected a rating 1..4, got " + quoted);
                    r.rating = static_cast<Rating>(rating);
                    break;
                }
                case 2: {
                    const auto ms = parseIso8601Ms(v);
                    if (!ms)
                        return rowError(
                            lineNo, column, kNames[k],
                            "expected an ISO 8601 time with a zone (2024-03-29T20:32:32.25+00:00), got " +
                                quoted);
                    r.timeMs = *ms;
                    break;
                }
                default: {
                    if (v.empty())
                        break;  // unknown duration
                    int64_t d = 0;
                    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
                    if (ec != std::errc() || ptr != v.data() + v.size() || d < 0)
                        return rowError(lineNo, column, kNames[k],
                                        "expected whole milliseconds >= 0, got " + quoted);
                    r.durationMs = d;
                    break;
                }
            }
        }
        out.push_back(std::move(r));
    }
    if (!haveHeader)
        return invalidArgument(
            "line 1: empty file (expected the header card_id,review_rating,review_time,review_duration)");
    return out;
}

Result<std::vector<ReviewLogRecord>> readReviewLogCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return invalidArgument("cannot read review log " + path);
    std::ostringstream buf;
    buf << in.rdbuf();
    auto parsed = parseReviewLogCsv(buf.str());
    if (!parsed)
        return invalidArgument(path + ": " + parsed.error().message);
    return parsed;
}

}  // namespace retain::core
