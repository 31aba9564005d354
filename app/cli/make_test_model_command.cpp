#include "app/cli/make_test_model_command.h"

#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/model/test_model.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace latent::cli {
namespace {

struct MakeTestModelOptions {
    TestModelOptions model;
    std::string type = "F32";
    std::string out;
    bool list = false;
};

bool stderrIsTerminal()
{
#ifdef _WIN32
    return _isatty(_fileno(stderr)) != 0;
#else
    return isatty(fileno(stderr)) != 0;
#endif
}

} // namespace

void addMakeTestModelCommand(CLI::App& app)
{
    auto options = std::make_shared<MakeTestModelOptions>();
    CLI::App* command = app.add_subcommand("make-test-model", "Write a model with random weights in the real format");
    command->add_option("--arch", options->model.architecture, "Architecture: llama, deepseek2")->capture_default_str();
    command->add_option("--preset", options->model.preset, "Size preset (--list shows them)")->capture_default_str();
    command->add_option("--type", options->type, "Matrix type: F32, F16, BF16, Q8_0, Q4_0")->capture_default_str();
    command->add_option("--seed", options->model.seed, "Random seed")->capture_default_str();
    command->add_option("-o,--output", options->out, "The .gguf file to write");
    command->add_flag("--list", options->list, "List the presets");
    command->callback([options] {
        if (options->list) {
            for (const TestModelPreset& preset : testModelPresets(options->model.architecture))
                fmt::print("{:<20} {}\n", preset.name, preset.description);
            return;
        }
        if (options->out.empty())
            throw Error("give the file to write with -o FILE.gguf");
        const auto type = gguf::tensorTypeFromName(options->type);
        if (!type)
            throw Error(fmt::format("--type '{}' is not a tensor type", options->type));
        options->model.type = *type;
        // A counter rewritten in place is for a person watching; a log gets only the result.
        const bool terminal = stderrIsTerminal();
        writeTestModel(options->model, pathFromUtf8(options->out), [terminal](size_t done, size_t total) {
            if (terminal)
                fmt::print(stderr, "\rwriting tensors: {}/{}", done, total);
        });
        fmt::print(stderr, "{}wrote {}\n", terminal ? "\n" : "", options->out);
    });
}

} // namespace latent::cli
