#include "app/cli/run_command.h"

#include "app/cli/model_options.h"
#include "engine/chat/chat_template.h"
#include "engine/core/error.h"
#include "engine/session/generator.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
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
    std::optional<chat::ChatFormat> override;
    if (!options.chatFormat.empty() && !(override = chat::chatFormatFromName(options.chatFormat)))
        throw Error(fmt::format("--chat-format '{}' is not a chat format", options.chatFormat));
    const chat::ChatFormatChoice choice = chat::chooseChatFormat(loaded.file->metadata(), override);
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
    command->add_option("--chat-format", options->chatFormat, "Override the chat format");
    command->add_option("--system", options->system, "A system prompt (with --chat)");
    GenerationOptions& g = options->generation;
    command->add_option("-n,--max-tokens", g.maxTokens, "Tokens to generate at most (-1: until the context is full)")
        ->capture_default_str();
    command->add_option("--temperature,--temp", g.sampling.temperature, "0: greedy")->capture_default_str();
    command->add_option("--top-k", g.sampling.topK, "0: off")->capture_default_str();
    command->add_option("--top-p", g.sampling.topP, "1: off")->capture_default_str();
    command->add_option("--min-p", g.sampling.minP, "0: off")->capture_default_str();
    command->add_option("--repeat-penalty", g.sampling.repeatPenalty, "1: off")->capture_default_str();
    command->add_option("--frequency-penalty", g.sampling.frequencyPenalty)->capture_default_str();
    command->add_option("--presence-penalty", g.sampling.presencePenalty)->capture_default_str();
    command->add_option("--seed", g.sampling.seed)->capture_default_str();
    command->add_option("--stop", g.stopStrings, "Stop when this text appears (repeatable)");
    command->add_flag("--stats", options->stats, "Print token counts and speeds at the end");
    command->callback([options] {
        LoadedModel loaded = LoadedModel::open(options->engine.model, options->engine.load);
        printBackend(loaded);
        Session session(*loaded.model, sessionOptions(options->engine, *loaded.model));
        const std::vector<int32_t> prompt = promptTokens(*options, loaded);
        std::signal(SIGINT, [](int) { g_interrupted = true; }); // Ctrl+C stops after the current token
        const GenerationResult result = generate(
            session, *loaded.tokenizer, prompt, options->generation,
            [](std::string_view piece) {
                fmt::print("{}", piece);
                std::fflush(stdout);
            },
            &g_interrupted);
        fmt::print("\n");
        if (options->stats)
            fmt::print(stderr, "prompt: {} tokens, {:.1f} tokens/s; generated: {} tokens, {:.1f} tokens/s\n",
                       result.promptTokens, double(result.promptTokens) / result.promptSeconds, result.tokens.size(),
                       result.generateSeconds > 0 ? double(result.tokens.size()) / result.generateSeconds : 0.0);
    });
}

} // namespace latent::cli
