#pragma once

#include "engine/session/session.h"

#include <cstdint>
#include <span>

namespace latent::server {

// Which free session a prompt should run in: the one already holding the longest prefix of it (a
// chat's next turn, the same file's next completion), so that only the rest is evaluated. A null
// entry is a session not made yet (it holds nothing); ties go to a session that exists, then to
// the first. `free` must not be empty.
size_t chooseSession(std::span<const Session* const> free, std::span<const int32_t> prompt);

} // namespace latent::server
