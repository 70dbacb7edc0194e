#include "core/ids.h"

#include <mutex>
#include <random>

namespace retain::core {

std::string randomHex(size_t digits) {
    static std::mutex mutex;
    static std::mt19937_64 engine = [] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }();
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(digits, '0');
    std::lock_guard lock(mutex);
    for (auto& c : out)
        c = kHex[engine() & 15];
    return out;
}

std::string newLearnerId() {
    return randomHex(32);
}
std::string newReplicaId() {
    return randomHex(16);
}

bool isHex(std::string_view s, size_t digits) {
    if (s.size() != digits)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

bool isValidLearnerName(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool isValidEventId(std::string_view id) {
    const auto dash = id.find('-');
    if (dash != 16 || !isHex(id.substr(0, 16), 16))
        return false;
    const auto seq = id.substr(17);
    if (seq.empty() || seq.size() > 19)
        return false;
    for (char c : seq)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::string shownText(const std::string& s) {
    constexpr size_t kMaxShownBytes = 40;
    std::string out;
    if (s.size() <= kMaxShownBytes) {
        out = s;
    } else {
        size_t cut = kMaxShownBytes;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            --cut;
        out = s.substr(0, cut) + "...";
    }
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return out;
}

}  // namespace retain::core
