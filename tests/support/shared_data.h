#pragma once

// Where the tests find ../shared (reference data and llama.cpp fixtures), which a user's clone
// does not have: tests that need it skip with a message saying so, and fail under CI.

#include "tests/support/skip_or_fail.h"

#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QTest>

namespace latent::test {

inline QString sharedDir()
{
    const QString fromEnvironment = qEnvironmentVariable("LATENT_SHARED_DIR");
    return QDir(fromEnvironment.isEmpty() ? QStringLiteral(LATENT_SHARED_DIR) : fromEnvironment).absolutePath();
}

inline QString sharedPath(const QString& relative)
{
    return sharedDir() + QLatin1Char('/') + relative;
}

} // namespace latent::test

// Skips the current test function when ../shared/RELATIVE is absent (fails under CI).
#define LATENT_REQUIRE_SHARED(relative)                                                                   \
    do {                                                                                                  \
        if (!QFileInfo::exists(latent::test::sharedPath(relative)))                                      \
            LATENT_SKIP_WITHOUT_SHARED(QStringLiteral("%1 is absent: the shared reference data comes with " \
                                                      "the project's CI, not with a clone")               \
                                           .arg(latent::test::sharedPath(relative)));                     \
    } while (false)
