#pragma once
// Readiness for a supervising systemd (the user unit is Type=notify): one datagram to $NOTIFY_SOCKET in
// the sd_notify(3) protocol, without linking libsystemd. Without $NOTIFY_SOCKET it does nothing.

#include <string>

namespace retain::app {

// Sends `state` ("READY=1", "STATUS=...", newline-separated assignments) to $NOTIFY_SOCKET. Returns
// false when the variable is unset or the datagram could not be sent (then `error`, if given, says why).
bool notifySystemd(const std::string& state, std::string* error = nullptr);

}  // namespace retain::app
