#pragma once

#include "app/store/chat_store.h"

#include <QString>

// The message of the StoreError that callable throws, or "" when it throws none (as
// tests/support/error_of.h does for the engine's latent::Error).
template <typename Callable>
QString storeErrorOf(Callable&& callable)
{
    try {
        callable();
    } catch (const latent::app::StoreError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}
