#pragma once
// The mini content pack (tests/data/content/mini: exam MINI-01), loaded for core tests' fixtures.

#include <memory>
#include <stdexcept>

#include "core/content_loader.h"
#include "support/temp_dir.h"

namespace retain::test {

// A fresh copy of the mini pack; throws (a test failure in SetUp) if it does not load.
inline std::unique_ptr<core::ContentPack> loadMiniPack() {
    auto r = core::loadContent(miniContentDir());
    if (!r.pack)
        throw std::runtime_error("the mini pack does not load: " +
                                 (r.errors.empty() ? std::string("no pack") : r.errors.front().format()));
    return std::make_unique<core::ContentPack>(std::move(*r.pack));
}

}  // namespace retain::test
