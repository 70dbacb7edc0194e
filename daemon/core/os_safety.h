#pragma once
// Checks that keep a local socket and a TCP listener from being hijacked (docs/security.md). Shared by
// the daemon (which creates the socket) and the clients (which connect to it). POSIX only.

#include <optional>
#include <string>

namespace retain::core {

// Creates the missing directories of `dir` (mode 0700), then checks that nobody but the current user (and
// root) can replace what is in it: `dir` must be a directory (not a symlink) owned by the user and not
// writable by group or others, and every ancestor must be owned by the user or root and not writable by
// others unless it is root's with the sticky bit (like /tmp). Existing directories are never chmod-ed.
// nullopt when safe, else what is wrong and what to do, naming the directory.
std::optional<std::string> preparePrivateDirectory(const std::string& dir);
// The same checks without creating anything (clients, before connecting to a socket in `dir`).
std::optional<std::string> checkPrivateDirectory(const std::string& dir);

// True when HOST of "HOST:PORT" ("[v6]:PORT" too) is "localhost" or a loopback IP address literal
// (127.0.0.0/8, ::1). Names are not resolved: "127.0.0.1.example.com" is not loopback.
bool isLoopbackHostPort(const std::string& hostPort);

}  // namespace retain::core
