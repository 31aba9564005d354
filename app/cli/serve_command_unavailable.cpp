// `serve` in a build without cpp-httplib (the MinGW cross build): the command is there, and says so.

#include "app/cli/serve_command.h"

#include "engine/core/error.h"

namespace latent::cli {

void addServeCommand(CLI::App& app)
{
    CLI::App* command = app.add_subcommand("serve", "Serve a model over an OpenAI-compatible HTTP API (not in this build)");
    command->allow_extras();
    command->callback([] {
        throw Error("latent-cli serve is not in this build: it was built without cpp-httplib (the Windows cross "
                    "build leaves it out); run the server from a Linux or macOS build");
    });
}

} // namespace latent::cli
