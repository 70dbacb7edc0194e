// Fuzz target: one item file (text format, retain.v1.ItemFile) loaded with a fixed blueprint by
// core::loadContent, then the content rules (validateItem, lintItem, findNearDuplicates) on its items.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "content_fuzz.h"

using namespace retain;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silenceProtobufLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool ready = [] {
        fuzz::writeFile(fuzz::contentDir() + "/blueprints/mini.textproto", fuzz::kFixedBlueprint);
        return true;
    }();
    (void)ready;
    const auto text = fuzz::asText(data, size);
    fuzz::writeFile(fuzz::contentDir() + "/items/fuzz/items.textproto", text);
    fuzz::loadAndCheck();

    // The linter (retainctl content lint) reads the same files: its rules on whatever parses.
    v1::ItemFile file;
    if (!fuzz::parseQuietly(text, file))
        return 0;
    std::vector<v1::Item> items(file.items().begin(), file.items().end());
    for (const auto& item : items) {
        (void)core::validateItem(item);
        (void)core::lintItem(item);
    }
    for (const auto& pair : core::findNearDuplicates(items, 0.5)) {
        RETAIN_FUZZ_CHECK(pair.first < pair.second && pair.second < items.size(), "pair out of range");
        RETAIN_FUZZ_CHECK(pair.similarity >= 0.5 && pair.similarity <= 1.0, std::to_string(pair.similarity));
    }
    return 0;
}
