#pragma once
// Loads and validates a content directory (blueprints/*.textproto, items/**/*.textproto). A pack with
// any error is rejected as a whole: the daemon never runs half-loaded.

#include <optional>
#include <string>
#include <vector>

#include "core/content_pack.h"

namespace retain::core {

struct ContentIssue {
    std::string file;  // path relative to the content directory
    int line = 0;      // 1-based; 0 when the issue concerns the whole file or pack
    int column = 0;
    std::string itemId;  // empty for blueprint and file issues
    std::string reason;
    std::string format() const;  // "file:line:column: reason"
};

struct ContentLoadResult {
    std::optional<ContentPack> pack;  // set only when errors is empty
    std::vector<ContentIssue> errors;
    size_t files = 0;
};

ContentLoadResult loadContent(const std::string& directory);

}  // namespace retain::core
