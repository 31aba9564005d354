#include "app/cli/logits_command.h"

#include "app/cli/model_options.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <numeric>

namespace latent::cli {
namespace {

struct LogitsOptions {
    EngineOptions engine;
    std::string tokens;
    std::string out;
    int top = 10;
};

std::vector<int32_t> parseTokens(const std::string& text)
{
    std::vector<int32_t> tokens;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, end - start);
        try {
            size_t used = 0;
            const long value = std::stol(item, &used);
            if (used != item.size() || value < 0 || value > INT32_MAX)
                throw std::invalid_argument(item);
            tokens.push_back(int32_t(value));
        } catch (const std::exception&) {
            throw Error(fmt::format("--tokens: '{}' is not a token id; give ids separated by commas, like 1,2,3", item));
        }
        start = end + 1;
    }
    return tokens;
}

// The format (stable; one block per position):
//   pos=P top10: id:logit id:logit ...       (best first, logits with 6 decimals)
//   pos=P checksum: sum=S sumsq=Q argmax=A   (over the whole vector, summed in double)
void printPosition(size_t position, std::span<const float> logits, int top)
{
    std::vector<int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    const size_t shown = std::min(order.size(), size_t(std::max(top, 0)));
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(shown), order.end(),
                      [&](int32_t a, int32_t b) { return logits[size_t(a)] != logits[size_t(b)] ? logits[size_t(a)] > logits[size_t(b)] : a < b; });
    fmt::print("pos={} top{}:", position, shown);
    for (size_t i = 0; i < shown; ++i)
        fmt::print(" {}:{:.6f}", order[i], logits[size_t(order[i])]);
    double sum = 0, squares = 0;
    for (float logit : logits) {
        sum += logit;
        squares += double(logit) * logit;
    }
    fmt::print("\npos={} checksum: sum={:.6f} sumsq={:.6f} argmax={}\n", position, sum, squares,
               std::max_element(logits.begin(), logits.end()) - logits.begin());
}

} // namespace

void addLogitsCommand(CLI::App& app)
{
    auto options = std::make_shared<LogitsOptions>();
    CLI::App* command = app.add_subcommand("logits", "Print the logits a model computes at every position");
    addEngineOptions(*command, options->engine);
    command->add_option("--tokens", options->tokens, "Token ids, comma-separated")->required();
    command->add_option("--out", options->out, "Also write every position's logits: float32 [n_tokens][n_vocab]");
    command->add_option("--top", options->top, "How many of the best ids to print")->capture_default_str();
    command->callback([options] {
        const std::vector<int32_t> tokens = parseTokens(options->tokens);
        LoadedModel loaded = LoadedModel::open(pathFromUtf8(options->engine.model), options->engine.load);
        printBackend(loaded);
        Session session(*loaded.model, sessionOptions(options->engine, *loaded.model));
        std::vector<float> logits;
        session.evaluate(tokens, Model::Logits::All, logits);
        const auto vocab = size_t(loaded.model->info().vocabularySize);
        for (size_t p = 0; p < tokens.size(); ++p)
            printPosition(p, std::span<const float>(logits).subspan(p * vocab, vocab), options->top);
        if (!options->out.empty()) {
            std::ofstream out(pathFromUtf8(options->out), std::ios::binary);
            out.write(reinterpret_cast<const char*>(logits.data()), std::streamsize(logits.size() * sizeof(float)));
            if (!out)
                throw Error(fmt::format("{}: cannot write the logits", options->out));
        }
    });
}

} // namespace latent::cli
