#include "storage/sync_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace retain::storage {

namespace {
constexpr char kHex[] = "0123456789abcdef";

std::string toHex(const unsigned char* bytes, size_t n) {
    std::string out(n * 2, '0');
    for (size_t i = 0; i < n; ++i) {
        out[2 * i] = kHex[bytes[i] >> 4];
        out[2 * i + 1] = kHex[bytes[i] & 15];
    }
    return out;
}
}  // namespace

std::optional<std::string> newSyncToken() {
    unsigned char bytes[kTokenHexDigits / 2];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return std::nullopt;
    return toHex(bytes, sizeof bytes);
}

std::string hashToken(std::string_view token) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr);
    return toHex(digest, len);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace retain::storage
