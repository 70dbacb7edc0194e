#pragma once
// An item shown outside a session (screenshots): built from its full content, recording nothing.

#include <vector>

#include "retain/v1/content_service.pb.h"
#include "retain/v1/study.pb.h"

namespace retain::desktop {

// The item as a session would present it: options in content order, "choose" from its correct options.
retain::v1::PresentedItem presentedFromContent(const retain::v1::ItemDetail& detail);

// The feedback an answer choosing `chosen` (content-order indexes) would get, from the content alone.
retain::v1::AnswerResponse feedbackFromContent(const retain::v1::Item& item,
                                               const std::vector<uint32_t>& chosen);

}  // namespace retain::desktop
