#pragma once
// Turning daemon data into words for people: the content's safe formatting subset to HTML, intervals,
// durations and dates. Pure functions, no widgets.

#include <QString>
#include <cstdint>
#include <string>

namespace retain::desktop {

// Content text ("safe formatting": `code`, *emphasis*, **strong** and "\n") to HTML for a rich-text
// QLabel. Everything else is escaped, so content can never inject markup.
QString safeTextToHtml(const std::string& text);

// "today", "1 day", "12 days", "3 months", "1.5 years": the interval a grade button would give.
QString intervalText(uint32_t days);
// Content text as one plain line for a table cell: whitespace collapsed, the `code` and *emphasis*
// marks dropped, cut to `max` characters with an ellipsis (0: no limit).
QString plainLine(const std::string& text, int max = 0);
// "about 18 min", "about 1 h 5 min"; "under a minute" for less than one.
QString minutesText(double minutes);
// "Thursday 28 May 2026" from "2026-05-28"; the input unchanged when it is not an ISO date.
QString longDateText(const std::string& isoDate);
// Letter of option `index`: A, B, C, ...
QString optionLetter(int index);
// "A", "A and C", "A, C and D".
QString lettersText(const QList<int>& indexes);
// "Choose 2." for multiple response, "" otherwise.
QString chooseText(uint32_t choose);

}  // namespace retain::desktop
