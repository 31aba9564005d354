#include "app/cli/run_command.h"

#include "app/cli/chat_format_option.h"
#include "app/cli/model_options.h"
#include "app/cli/number_range.h"
#include "engine/chat/chat_template.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/session/generator.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>

namespace latent::cli {
namespace {

struct RunOptions {
    EngineOptions engine;
    std::string prompt;
    std::string system;
    bool chat = false;
    std::string chatFormat;
    GenerationOptions generation;
    bool stats = false;
};

std::atomic<bool> g_interrupted{false};

std::vector<int32_t> promptTokens(const RunOptions& options, const LoadedModel& loaded)
{
    const tokenizer::Tokenizer& tokenizer = *loaded.tokenizer;
    if (!options.chat)
        return tokenizer.encode(options.prompt, {.addBos = tokenizer.spec().addBos, .parseSpecial = false});
    const chat::ChatFormatChoice choice =
        chat::chooseChatFormat(loaded.file->metadata(), chatFormatOverride(options.chatFormat));
    fmt::print(stderr, "{}\n", choice.reason);
    std::vector<chat::ChatMessage> messages;
    if (!options.system.empty())
        messages.push_back({"system", options.system});
    messages.push_back({"user", options.prompt});
    return loaded.chatPrompt(choice.format, messages);
}

} // namespace

void addRunCommand(CLI::App& app)
{
    auto options = std::make_shared<RunOptions>();
    CLI::App* command = app.add_subcommand("run", "Generate text from a prompt, streaming it");
    addEngineOptions(*command, options->engine);
    command->add_option("-p,--prompt", options->prompt, "The prompt")->required();
    command->add_flag("--chat", options->chat, "Wrap the prompt in the model's chat format");
    addChatFormatOption(*command, options->chatFormat);
    command->add_option("--system", options->system, "A system prompt (with --chat)");
    GenerationOptions& g = options->generation;
    const double unbounded = std::numeric_limits<double>::max();
    const double intMax = std::numeric_limits<int>::max();
    command->add_option("-n,--max-tokens", g.maxTokens, "Tokens to generate at most (-1: until the context is full)")
        ->capture_default_str()
        ->check(numberRange(-1, intMax, "-1 (until the context is full) or a count from 0"));
    command->add_option("--temperature,--temp", g.sampling.temperature, "0: greedy")
        ->capture_default_str()
        ->check(numberRange(0, unbounded, "0 (greedy) or more"));
    command->add_option("--top-k", g.sampling.topK, "0: off")
        ->capture_default_str()
        ->check(numberRange(0, intMax, "0 (off) or a count of tokens"));
    command->add_option("--top-p", g.sampling.topP, "1: off")
        ->capture_default_str()
        ->check(numberRange(0, 1, "a share from 0 to 1"));
    command->add_option("--min-p", g.sampling.minP, "0: off")
        ->capture_default_str()
        ->check(numberRange(0, 1, "a share from 0 to 1"));
    // A penalty of 0 would divide by zero; below 1 it favours repeats, which is allowed.
    command->add_option("--repeat-penalty", g.sampling.repeatPenalty, "1: off")
        ->capture_default_str()
        ->check(numberRange(std::numeric_limits<double>::min(), unbounded, "above 0 (1: off)"));
    // Negative values favour repeated tokens, as in OpenAI's API.
    command->add_option("--frequency-penalty", g.sampling.frequencyPenalty)->capture_default_str();
    command->add_option("--presence-penalty", g.sampling.presencePenalty)->capture_default_str();
    command->add_option("--seed", g.sampling.seed)
        ->capture_default_str()
        ->check(numberRange(0, double(std::numeric_limits<uint64_t>::max()), "a whole number from 0"));
    command->add_option("--stop", g.stopStrings, "Stop when this text appears (repeatable)");
    command->add_flag("--stats", options->stats, "Print token counts and speeds at the end");
    command->callback([options] {
        LoadedModel loaded = LoadedModel::open(pathFromUtf8(options->engine.model), options->engine.load);
        printBackend(loaded);
        Session session(*loaded.model, sessionOptions(options->engine, *loaded.model));
        const std::vector<int32_t> prompt = promptTokens(*options, loaded);
        std::signal(SIGINT, [](int) { g_interrupted = true; }); // Ctrl+C stops after the current token
        bool lineOpen = false; // the text streamed so far does not end in a newline
        const GenerationResult result = generate(
            session, *loaded.tokenizer, prompt, options->generation,
            [&lineOpen](std::string_view piece) {
                fmt::print("{}", piece);
                std::fflush(stdout);
                if (!piece.empty())
                    lineOpen = piece.back() != '\n';
            },
            &g_interrupted);
        if (lineOpen)
            fmt::print("\n");
        // Before the stats on stderr: with both in one log, the newline must come first.
        std::fflush(stdout);
        if (options->stats)
            fmt::print(stderr, "prompt: {} tokens, {:.1f} tokens/s; generated: {} tokens, {:.1f} tokens/s\n",
                       result.promptTokens, double(result.promptTokens) / result.promptSeconds, result.tokens.size(),
                       result.generateSeconds > 0 ? double(result.tokens.size()) / result.generateSeconds : 0.0);
    });
}

} // namespace latent::cli
