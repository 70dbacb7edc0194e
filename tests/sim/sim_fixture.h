#pragma once
// The real MLS-C01 pack, loaded once for the simulator's tests.

#include <gtest/gtest.h>

#include "core/content_loader.h"

namespace retain::test {

inline const core::ContentPack& simPack() {
    static const core::ContentPack pack = [] {
        auto r = core::loadContent(RETAIN_CONTENT_DIR);
        EXPECT_TRUE(r.pack.has_value());
        return std::move(*r.pack);
    }();
    return pack;
}

}  // namespace retain::test
