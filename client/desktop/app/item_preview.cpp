#include "desktop/app/item_preview.h"

#include <algorithm>

namespace retain::desktop {

v1::PresentedItem presentedFromContent(const v1::ItemDetail& detail) {
    const v1::Item& item = detail.item();
    v1::PresentedItem p;
    p.set_id(item.id());
    p.set_revision(item.revision());
    p.set_task_statement(item.task_statement());
    p.set_domain_id(detail.domain_id());
    p.set_kind(item.kind());
    p.set_prompt(item.prompt());
    uint32_t correct = 0;
    for (int i = 0; i < item.options_size(); ++i) {
        p.add_options(item.options(i).text());
        p.add_option_index(static_cast<uint32_t>(i));
        correct += item.options(i).correct() ? 1 : 0;
    }
    if (item.kind() == v1::MULTIPLE_RESPONSE)
        p.set_choose(correct);
    return p;
}

v1::AnswerResponse feedbackFromContent(const v1::Item& item, const std::vector<uint32_t>& chosen) {
    v1::AnswerResponse a;
    bool right = true;
    for (int i = 0; i < item.options_size(); ++i) {
        const bool picked = std::find(chosen.begin(), chosen.end(), static_cast<uint32_t>(i)) != chosen.end();
        if (item.options(i).correct())
            a.add_correct_options(static_cast<uint32_t>(i));
        a.add_option_explanations(item.options(i).explanation());
        right = right && picked == item.options(i).correct();
    }
    a.set_correct(right);
    a.set_explanation(item.explanation());
    *a.mutable_references() = item.references();
    return a;
}

}  // namespace retain::desktop
