#pragma once

#include <QtGlobal>

namespace latent::app {

// A new request id, unique in the process and larger than every one before it: the local engine
// and a remote one answer through the same signals, so an answer's id must say which is its own.
qint64 nextRequestId();

} // namespace latent::app
