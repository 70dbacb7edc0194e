#pragma once
// Messages must not grow with what a caller sent. libFuzzer rarely grows a length-delimited protobuf
// field by hundreds of bytes with a matching length prefix, so the targets also try each string field of
// the parsed message stretched by 1 KiB, one at a time (forEachStretched), and check the message again.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <string>

namespace retain::fuzz {

inline constexpr size_t kStretchBytes = 1024;

namespace detail {

// Visits the string fields of `m` depth first (repeated elements too); the `target`-th one gets
// kStretchBytes more bytes (copies of its last byte, or 'x'). Returns how many strings it visited.
inline int stretchNth(google::protobuf::Message& m, int target, int seen = 0) {
    namespace pb = google::protobuf;
    const auto* d = m.GetDescriptor();
    const auto* r = m.GetReflection();
    auto stretched = [](std::string s) { return s + std::string(kStretchBytes, s.empty() ? 'x' : s.back()); };
    for (int i = 0; i < d->field_count(); ++i) {
        const auto* f = d->field(i);
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
            if (f->is_repeated()) {
                for (int k = 0; k < r->FieldSize(m, f); ++k, ++seen)
                    if (seen == target)
                        r->SetRepeatedString(&m, f, k, stretched(r->GetRepeatedString(m, f, k)));
            } else if (r->HasField(m, f)) {
                if (seen == target)
                    r->SetString(&m, f, stretched(r->GetString(m, f)));
                ++seen;
            }
        } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
            if (f->is_repeated()) {
                for (int k = 0; k < r->FieldSize(m, f); ++k)
                    seen = stretchNth(*r->MutableRepeatedMessage(&m, f, k), target, seen);
            } else if (r->HasField(m, f)) {
                seen = stretchNth(*r->MutableMessage(&m, f), target, seen);
            }
        }
    }
    return seen;
}

}  // namespace detail

// Calls fn(copy) for each string field of `message` that is set (the first 64), the copy having that
// field stretched.
template <typename Message, typename Fn>
void forEachStretched(const Message& message, Fn&& fn) {
    Message probe = message;
    const int strings = std::min(detail::stretchNth(probe, -1), 64);
    for (int i = 0; i < strings; ++i) {
        Message copy = message;
        detail::stretchNth(copy, i);
        fn(static_cast<const Message&>(copy));
    }
}

}  // namespace retain::fuzz
