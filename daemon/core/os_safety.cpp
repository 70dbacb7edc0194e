#include "core/os_safety.h"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace retain::core {

namespace fs = std::filesystem;

namespace {

std::string ownerText(uid_t uid) {
    return "uid " + std::to_string(uid);
}

// Checks one directory: `leaf` is the directory the socket lives in, the others are its ancestors.
std::optional<std::string> checkOne(const fs::path& dir, bool leaf) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0)
        return "cannot inspect " + dir.string() + ": " + std::strerror(errno);
    if (S_ISLNK(st.st_mode) && leaf)
        return dir.string() + " is a symbolic link; give a real directory you own";
    if (S_ISLNK(st.st_mode)) {
        // A symlinked ancestor (/var/run -> /run, say) is judged by what it points to, if root's.
        if (st.st_uid != 0)
            return dir.string() + " is a symbolic link owned by " + ownerText(st.st_uid) + ", not root";
        if (::stat(dir.c_str(), &st) != 0)
            return "cannot inspect " + dir.string() + ": " + std::strerror(errno);
    }
    if (!S_ISDIR(st.st_mode))
        return dir.string() + " is not a directory";
    const uid_t me = ::geteuid();
    if (leaf) {
        if (st.st_uid != me)
            return dir.string() + " is owned by " + ownerText(st.st_uid) + ", not by you (" + ownerText(me) +
                   "): another user could impersonate retaind there. Remove it, or choose a directory you "
                   "own (--socket, XDG_RUNTIME_DIR)";
        if (st.st_mode & (S_IWGRP | S_IWOTH))
            return dir.string() +
                   " is writable by other users, who could replace the socket. Use a private directory "
                   "(mode 0700) for the socket; retaind does not change the mode of a directory it did not "
                   "create";
        return std::nullopt;
    }
    if (st.st_uid != me && st.st_uid != 0)
        return dir.string() + " (an ancestor of the socket's directory) is owned by " + ownerText(st.st_uid) +
               ", who could replace what is under it";
    if ((st.st_mode & S_IWOTH) && !(st.st_uid == 0 && (st.st_mode & S_ISVTX)))
        return dir.string() + " (an ancestor of the socket's directory) is writable by every user";
    if ((st.st_mode & S_IWGRP) && st.st_uid != me && !(st.st_mode & S_ISVTX))
        return dir.string() + " (an ancestor of the socket's directory) is writable by its group";
    return std::nullopt;
}

}  // namespace

std::optional<std::string> checkPrivateDirectory(const std::string& dirText) {
    std::error_code ec;
    const fs::path dir = fs::absolute(fs::path(dirText), ec).lexically_normal();
    if (ec)
        return "cannot resolve " + dirText + ": " + ec.message();
    if (auto problem = checkOne(dir, true))
        return problem;
    for (fs::path p = dir.parent_path(); !p.empty(); p = p.parent_path()) {
        if (auto problem = checkOne(p, false))
            return problem;
        if (p == p.root_path())
            break;
    }
    return std::nullopt;
}

std::optional<std::string> preparePrivateDirectory(const std::string& dirText) {
    std::error_code ec;
    const fs::path dir = fs::absolute(fs::path(dirText), ec).lexically_normal();
    if (ec)
        return "cannot resolve " + dirText + ": " + ec.message();
    // Create the missing components one by one, each 0700 (mkdir honours the mode; nothing existing is
    // touched).
    fs::path built = dir.root_path();
    for (const auto& part : dir.relative_path()) {
        built /= part;
        if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST)
            return "cannot create " + built.string() + ": " + std::strerror(errno);
    }
    return checkPrivateDirectory(dir.string());
}

bool isLoopbackHostPort(const std::string& hostPort) {
    std::string host;
    if (!hostPort.empty() && hostPort.front() == '[') {
        const auto close = hostPort.find(']');
        if (close == std::string::npos)
            return false;
        host = hostPort.substr(1, close - 1);
    } else {
        const auto colon = hostPort.rfind(':');
        host = colon == std::string::npos ? hostPort : hostPort.substr(0, colon);
    }
    if (host == "localhost")
        return true;
    unsigned char buf[sizeof(struct in6_addr)];
    if (::inet_pton(AF_INET, host.c_str(), buf) == 1)
        return buf[0] == 127;
    if (::inet_pton(AF_INET6, host.c_str(), buf) == 1) {
        static const unsigned char kLoop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return std::memcmp(buf, kLoop6, 16) == 0;
    }
    return false;
}

}  // namespace retain::core
