// Fuzz target: one blueprint (text format, retain.v1.Blueprint) loaded with a fixed item file by
// core::loadContent, then validateBlueprint on whatever parses.
#include <cstddef>
#include <cstdint>

#include "content_fuzz.h"

using namespace retain;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silenceProtobufLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool ready = [] {
        fuzz::writeFile(fuzz::contentDir() + "/items/fuzz/items.textproto", fuzz::kFixedItems);
        return true;
    }();
    (void)ready;
    const auto text = fuzz::asText(data, size);
    fuzz::writeFile(fuzz::contentDir() + "/blueprints/fuzz.textproto", text);
    fuzz::loadAndCheck();

    v1::Blueprint blueprint;
    if (fuzz::parseQuietly(text, blueprint))
        (void)core::validateBlueprint(blueprint);
    return 0;
}
