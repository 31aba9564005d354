#include "app/cli/version_command.h"

#include "engine/core/build_info.h"

#include <fmt/format.h>

#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/embedded_shaders.h"
#endif

namespace latent::cli {

void addVersionCommand(CLI::App& app)
{
    CLI::App* command = app.add_subcommand("version", "Show the version and the backends built in");
    command->callback([] {
        const BuildInfo& info = buildInfo();
        fmt::print("Latent {}\n", info.version);
        fmt::print("Backends: cpu");
#ifdef LATENT_HAS_VULKAN
        fmt::print(", vulkan (compute shaders: {})", vulkan::embeddedShaders().size());
#endif
        if (info.cuda)
            fmt::print(", cuda kernels (sm {})", info.cudaArchitectures);
        fmt::print("\n");
    });
}

} // namespace latent::cli
