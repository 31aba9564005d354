// latent-cli: the engine from the command line.

#include "app/cli/bench_command.h"
#include "app/cli/devices_command.h"
#include "app/cli/info_command.h"
#include "app/cli/logits_command.h"
#include "app/cli/make_test_model_command.h"
#include "app/cli/quantize_command.h"
#include "app/cli/run_command.h"
#include "app/cli/serve_command.h"
#include "app/cli/template_command.h"
#include "app/cli/tokenize_command.h"
#include "app/cli/utf8_command_line.h"
#include "app/cli/version_command.h"
#include "engine/core/build_info.h"
#include "engine/core/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    CLI::App app{"Latent: DeepSeek models on your own machine"};
    app.require_subcommand(1);
    // `latent-cli --version`, the usual spelling for installers' checks; `version` also lists the backends.
    app.set_version_flag("--version", fmt::format("Latent {}", latent::buildInfo().version));
    latent::cli::addBenchCommand(app);
    latent::cli::addDevicesCommand(app);
    latent::cli::addInfoCommand(app);
    latent::cli::addLogitsCommand(app);
    latent::cli::addMakeTestModelCommand(app);
    latent::cli::addQuantizeCommand(app);
    latent::cli::addRunCommand(app);
    latent::cli::addServeCommand(app);
    latent::cli::addTemplateCommand(app);
    latent::cli::addTokenizeCommand(app);
    latent::cli::addVersionCommand(app);

    const std::vector<std::string> arguments = latent::cli::utf8CommandLine(argc, argv);
    std::vector<const char*> argumentText;
    for (const std::string& argument : arguments)
        argumentText.push_back(argument.c_str());
    try {
        app.parse(int(argumentText.size()), argumentText.data());
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    } catch (const latent::Error& error) {
        fmt::print(stderr, "error: {}\n", error.what());
        return 1;
    } catch (const std::exception& error) {
        fmt::print(stderr, "internal error: {}\n", error.what());
        return 2;
    }
    return 0;
}
