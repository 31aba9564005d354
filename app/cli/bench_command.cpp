#include "app/cli/bench_command.h"

#include "app/cli/model_options.h"
#include "app/cli/peak_memory.h"
#include "app/cli/text_format.h"
#include "engine/core/utf8_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

namespace latent::cli {
namespace {

struct BenchOptions {
    EngineOptions engine;
    int promptTokens = 512;
    int generateTokens = 128;
    int repetitions = 3;
    bool json = false;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

void addBenchCommand(CLI::App& app)
{
    auto options = std::make_shared<BenchOptions>();
    CLI::App* command = app.add_subcommand("bench", "Measure prompt and generation speed");
    addEngineOptions(*command, options->engine);
    command->add_option("-p,--prompt-tokens", options->promptTokens, "Prompt length (pp)")->capture_default_str();
    command->add_option("-n,--generate-tokens", options->generateTokens, "Tokens generated (tg)")->capture_default_str();
    command->add_option("-r,--repetitions", options->repetitions, "Runs of each; the median is reported")
        ->capture_default_str();
    command->add_flag("--json", options->json, "One JSON line instead of text");
    command->callback([options] {
        using Clock = std::chrono::steady_clock;
        // The cache holds what one run needs, as llama-bench sizes it.
        EngineOptions engine = options->engine;
        engine.load.contextLength = options->promptTokens + options->generateTokens + 1;
        LoadedModel loaded = LoadedModel::open(pathFromUtf8(engine.model), engine.load);
        printBackend(loaded);
        const int64_t vocab = loaded.model->info().vocabularySize;
        std::mt19937 random(42);
        std::vector<int32_t> prompt(size_t(options->promptTokens));
        for (int32_t& token : prompt)
            token = int32_t(random() % uint32_t(vocab));
        std::vector<float> logits;

        // pp: the prompt into an empty cache; tg: one token at a time after BOS, as llama-bench.
        std::vector<double> pp, tg;
        for (int r = 0; r < options->repetitions + 1; ++r) { // the first run warms up
            Session session(*loaded.model, sessionOptions(engine, *loaded.model));
            auto start = Clock::now();
            if (options->promptTokens > 0)
                session.evaluate(prompt, Model::Logits::Last, logits);
            const double ppSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            Session decoding(*loaded.model, sessionOptions(engine, *loaded.model));
            int32_t token = loaded.tokenizer->spec().bos.value_or(0);
            start = Clock::now();
            for (int i = 0; i < options->generateTokens; ++i) {
                const int32_t one[] = {token};
                decoding.evaluate(one, Model::Logits::Last, logits);
                token = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
            }
            const double tgSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            if (r > 0) {
                pp.push_back(options->promptTokens / ppSeconds);
                tg.push_back(options->generateTokens / tgSeconds);
            }
        }
        const double ppRate = options->promptTokens > 0 ? median(pp) : 0;
        const double tgRate = options->generateTokens > 0 ? median(tg) : 0;
        if (options->json) {
            fmt::print("{{\"engine\": \"latent\", \"backend\": \"{}\", \"pp\": {}, \"tg\": {}, \"pp_tok_s\": {:.2f}, "
                       "\"tg_tok_s\": {:.2f}, \"peak_rss_bytes\": {}, \"weight_bytes_per_token\": {}}}\n",
                       loaded.backend->name(), options->promptTokens, options->generateTokens, ppRate, tgRate,
                       peakResidentBytes(), weightBytesPerToken(*loaded.file));
        } else {
            fmt::print("model     {}\nbackend   {}\npp{:<6}  {:.2f} tokens/s\ntg{:<6}  {:.2f} tokens/s\npeak RSS  {}\n"
                       "weights read per generated token  {}\n",
                       options->engine.model, loaded.backend->name(), options->promptTokens, ppRate,
                       options->generateTokens, tgRate, formatBytes(peakResidentBytes()),
                       formatBytes(weightBytesPerToken(*loaded.file)));
        }
    });
}

} // namespace latent::cli
