#pragma once

#include "engine/core/error.h"

#include <QString>

namespace latent::test {

// The message of the latent::Error that callable throws, or "" when it throws none.
template <typename Callable>
QString errorOf(Callable&& callable)
{
    try {
        callable();
    } catch (const Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace latent::test
