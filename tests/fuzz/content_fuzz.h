#pragma once
// The content loader (core/content_loader.h) reads a directory only, so the content targets write the
// fuzzed file into a content directory of their own (fuzz_support.h scratchDir) next to a fixed,
// valid partner: the item-file target against a fixed blueprint, the blueprint target against a fixed
// item file. Then the loader's contract is checked, and the linter's rules run on the same text.

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/content_loader.h"
#include "core/content_rules.h"
#include "fuzz_support.h"

namespace retain::fuzz {

// The blueprint of tests/data/content/mini, shortened.
inline constexpr std::string_view kFixedBlueprint =
    R"pb(code: "MINI-01"
         name: "Mini test exam"
         vendor: "Retain tests"
         form {
           total_questions: 10
           scored_questions: 8
           unscored_questions: 2
           duration_minutes: 20
           scaled_score_min: 100
           scaled_score_max: 1000
           passing_scaled_score: 750
           assumed_cut_fraction: 0.7
           cut_assumption_note: "Test assumption."
         }
         domains {
           id: "1"
           name: "Heavy domain"
           weight_percent: 70
           task_statements { id: "1.1" title: "First heavy statement" }
           task_statements { id: "1.2" title: "Second heavy statement" }
         }
         domains {
           id: "2"
           name: "Light domain"
           weight_percent: 30
           task_statements { id: "2.1" title: "Light statement" }
         }
    )pb";

// Three items of that exam, one of each kind, one related to another.
inline constexpr std::string_view kFixedItems =
    R"pb(exam: "MINI-01"
         items {
           id: "1.1-fc-1"
           revision: 1
           task_statement: "1.1"
           kind: FLASHCARD
           prompt: "Front?"
           answer: "Back."
           explanation: "Why."
           difficulty: 2
           references { title: "Fixture" citation: "Retain tests" }
           related: "2.1-mc-1"
         }
         items {
           id: "2.1-mc-1"
           revision: 1
           task_statement: "2.1"
           kind: MULTIPLE_CHOICE
           prompt: "Which one?"
           options { text: "A" correct: true explanation: "Yes." }
           options { text: "B" explanation: "No." }
           options { text: "C" explanation: "No." }
           options { text: "D" explanation: "No." }
           explanation: "A."
           difficulty: 3
           references { title: "Fixture" url: "https://example.org/a" }
         }
         items {
           id: "1.2-mr-1"
           revision: 2
           task_statement: "1.2"
           kind: MULTIPLE_RESPONSE
           prompt: "Which two? (Choose two.)"
           options { text: "A" correct: true explanation: "Yes." }
           options { text: "B" correct: true explanation: "Yes." }
           options { text: "C" explanation: "No." }
           options { text: "D" explanation: "No." }
           options { text: "E" explanation: "No." }
           explanation: "A and B."
           difficulty: 4
           references { title: "Fixture" citation: "Retain tests" }
         }
    )pb";

// The content directory of this process: <scratch>/content with blueprints/ and items/.
inline const std::string& contentDir() {
    static const std::string dir = [] {
        const std::string d = scratchDir() + "/content";
        std::filesystem::create_directories(d + "/blueprints");
        std::filesystem::create_directories(d + "/items/fuzz");
        return d;
    }();
    return dir;
}

// Loads contentDir() and checks what loadContent promises: a pack exactly when there is no error, and a
// pack whose indexes hold together.
inline void loadAndCheck() {
    auto result = core::loadContent(contentDir());
    RETAIN_FUZZ_CHECK(result.pack.has_value() == result.errors.empty(), "a pack must come without errors");
    RETAIN_FUZZ_CHECK(result.files == 2, "both files must be read");
    for (const auto& issue : result.errors) {
        const std::string text = issue.format();
        RETAIN_FUZZ_CHECK(!issue.reason.empty(), text);
    }
    if (!result.pack)
        return;
    const auto& pack = *result.pack;
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const auto& ref = pack.itemAt(i);
        RETAIN_FUZZ_CHECK(ref.item && ref.exam && ref.statement, "an item of a loaded pack lacks its exam");
        RETAIN_FUZZ_CHECK(ref.index == i, ref.item->id());
        RETAIN_FUZZ_CHECK(pack.item(ref.item->id()) == &ref, ref.item->id());
        RETAIN_FUZZ_CHECK(core::validateItem(*ref.item).empty(), ref.item->id());
        for (const auto& related : ref.item->related())
            RETAIN_FUZZ_CHECK(pack.item(related) != nullptr, related);
    }
    for (const auto& exam : pack.exams()) {
        RETAIN_FUZZ_CHECK(core::validateBlueprint(exam->blueprint()).empty(), exam->code());
        RETAIN_FUZZ_CHECK(pack.exam(exam->code()) == exam.get(), exam->code());
        for (const auto& statement : exam->taskStatements()) {
            RETAIN_FUZZ_CHECK(exam->taskStatement(statement.statement->id()) == &statement,
                              statement.statement->id());
            for (size_t index : exam->itemsOf(statement.index))
                RETAIN_FUZZ_CHECK(index < pack.itemCount(), exam->code());
        }
    }
}

class SilentCollector final : public google::protobuf::io::ErrorCollector {
public:
    void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
    void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

// Parses `text` as `message` without logging the syntax errors.
inline bool parseQuietly(std::string_view text, google::protobuf::Message& message) {
    SilentCollector collector;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    return parser.ParseFromString(std::string(text), &message);
}

}  // namespace retain::fuzz
