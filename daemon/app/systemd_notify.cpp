#include "app/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace retain::app {

bool notifySystemd(const std::string& state, std::string* error) {
    const char* socketPath = std::getenv("NOTIFY_SOCKET");
    if (!socketPath || !*socketPath)
        return false;
    auto fail = [&](const std::string& why) {
        if (error)
            *error = why;
        return false;
    };
    const std::string path(socketPath);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if ((path[0] != '/' && path[0] != '@') || path.size() >= sizeof(addr.sun_path))
        return fail("NOTIFY_SOCKET is neither an absolute path nor an abstract socket: " + path);
    std::memcpy(addr.sun_path, path.data(), path.size());
    if (path[0] == '@')
        addr.sun_path[0] = '\0';  // the abstract namespace
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(std::string("socket: ") + std::strerror(errno));
    const auto sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                               reinterpret_cast<const sockaddr*>(&addr), length);
    const int sendErrno = errno;
    ::close(fd);
    if (sent < 0 || static_cast<size_t>(sent) != state.size())
        return fail("sending to NOTIFY_SOCKET " + path + ": " + std::strerror(sendErrno));
    return true;
}

}  // namespace retain::app
