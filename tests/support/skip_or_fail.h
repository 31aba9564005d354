#pragma once

// A skip counts as a pass to CTest, so a check that did not run must not pass where it is
// required: the comparisons with ../shared (llama.cpp's and Hugging Face's reference data) under
// CI (LATENT_REQUIRE_SHARED=1, which .ci/run sets, or CI=true), and the checks that need a Vulkan
// device in a build configured with LATENT_REQUIRE_VULKAN=ON (CI, with Mesa's lavapipe). Elsewhere
// (a user's clone, a machine without a GPU driver) they skip, saying why.

#include <QString>
#include <QTest>

namespace latent::test {

inline bool sharedDataRequired()
{
    return qEnvironmentVariable("LATENT_REQUIRE_SHARED") == QLatin1String("1") ||
           qEnvironmentVariable("CI").compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

inline bool vulkanDeviceRequired()
{
#ifdef LATENT_REQUIRE_VULKAN_DEVICE
    return true;
#else
    return false;
#endif
}

} // namespace latent::test

// Skips the current test function saying `reason`, or fails it where `required` holds, saying
// what requires it (`requiredBy`).
#define LATENT_SKIP_OR_FAIL(required, requiredBy, reason)                                               \
    do {                                                                                                  \
        const QString skipReason_ = (reason);                                                             \
        if (required)                                                                                     \
            QFAIL(qPrintable(skipReason_ + QStringLiteral("; this check must run here (") + (requiredBy) + \
                             QStringLiteral(")")));                                                       \
        QSKIP(qPrintable(skipReason_));                                                                   \
    } while (false)

// Where the shared reference data is missing.
#define LATENT_SKIP_WITHOUT_SHARED(reason)                                                                \
    LATENT_SKIP_OR_FAIL(latent::test::sharedDataRequired(), QStringLiteral("LATENT_REQUIRE_SHARED=1 or CI=true"), \
                        reason)

// Where no Vulkan device can be made.
#define LATENT_SKIP_WITHOUT_VULKAN(reason)                                                                \
    LATENT_SKIP_OR_FAIL(latent::test::vulkanDeviceRequired(),                                             \
                        QStringLiteral("the build was configured with LATENT_REQUIRE_VULKAN=ON"), reason)
