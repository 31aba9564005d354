#include "app/cli/bench_command.h"

#include "app/cli/model_options.h"
#include "app/cli/operation_profile_table.h"
#include "app/cli/peak_memory.h"
#include "app/cli/text_format.h"
#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/profiling_backend.h"
#include "engine/core/error.h"
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
    int depth = 0;
    int repetitions = 3;
    bool json = false;
    bool profile = false;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// The profiling wrapper of a model loaded with LoadOptions::profile.
ProfilingBackend& profilerOf(const LoadedModel& loaded)
{
    auto* profiler = dynamic_cast<ProfilingBackend*>(loaded.backend.get());
    if (!profiler)
        throw Error("--profile: the model was loaded without its profiling wrapper");
    return *profiler;
}

void addCosts(OperationProfile& total, const OperationProfile& more)
{
    for (const auto& [operation, cost] : more) {
        OperationCost& sum = total[operation];
        sum.calls += cost.calls;
        sum.seconds += cost.seconds;
        sum.weightBytes += cost.weightBytes;
    }
}

// The costs of passes timed so far (every measured run of one phase, pp or tg): each call's time
// on the CPU, and on a GPU the device's time of the operations.
struct PhaseProfile {
    OperationProfile calls;
    OperationProfile device;
    double wallSeconds = 0;

    void add(const PhaseProfile& run)
    {
        addCosts(calls, run.calls);
        addCosts(device, run.device);
        wallSeconds += run.wallSeconds;
    }
};

// The table's rows: on the CPU each call's time is the operation's own; on a GPU the device's
// times, beside the CPU's time recording each kind.
std::vector<ProfileRow> phaseRows(const PhaseProfile& phase, bool onDevice, double tokens)
{
    if (tokens <= 0)
        return {};
    return onDevice ? profileRows(phase.device, phase.wallSeconds, tokens, &phase.calls)
                    : profileRows(phase.calls, phase.wallSeconds, tokens);
}

} // namespace

void addBenchCommand(CLI::App& app)
{
    auto options = std::make_shared<BenchOptions>();
    CLI::App* command = app.add_subcommand("bench", "Measure prompt and generation speed");
    addEngineOptions(*command, options->engine);
    command->add_option("-p,--prompt-tokens", options->promptTokens, "Prompt length (pp)")->capture_default_str();
    command->add_option("-n,--generate-tokens", options->generateTokens, "Tokens generated (tg)")->capture_default_str();
    command->add_option("-d,--depth", options->depth,
                        "Tokens already in the context before the prompt and before generation, untimed (as "
                        "llama-bench's -d): speed deep into a conversation")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str();
    command->add_option("-r,--repetitions", options->repetitions, "Runs of each; the median is reported")
        ->capture_default_str();
    command->add_flag("--json", options->json, "One JSON line instead of text");
    command->add_flag("--profile", options->profile,
                      "Also time each kind of operation per token of the prompt and of generation (on a GPU: the "
                      "device's time from timestamps, beside the CPU's time recording it)");
    command->callback([options] {
        using Clock = std::chrono::steady_clock;
        // The cache holds what one run needs, as llama-bench sizes it.
        EngineOptions engine = options->engine;
        engine.load.contextLength = options->depth + options->promptTokens + options->generateTokens + 1;
        engine.load.profile = options->profile;
        LoadedModel loaded = LoadedModel::open(pathFromUtf8(engine.model), engine.load);
        printBackend(loaded);
        ProfilingBackend* profiler = options->profile ? &profilerOf(loaded) : nullptr;
        const bool onDevice = profiler && !dynamic_cast<const cpu::CpuBackend*>(&profiler->inner());
        const auto takeProfile = [&](double wallSeconds) {
            return profiler ? PhaseProfile{profiler->takeProfile(), profiler->takeDeviceProfile(), wallSeconds}
                            : PhaseProfile{};
        };
        const int64_t vocab = loaded.model->info().vocabularySize;
        std::mt19937 random(42);
        const auto randomTokens = [&](int count) {
            std::vector<int32_t> tokens(static_cast<size_t>(count));
            for (int32_t& token : tokens)
                token = int32_t(random() % uint32_t(vocab));
            return tokens;
        };
        const std::vector<int32_t> prompt = randomTokens(options->promptTokens);
        const std::vector<int32_t> earlier = randomTokens(options->depth);
        std::vector<float> logits;
        // A session for a run of timedTokens, with the depth's tokens in its cache already (where
        // the run has tokens to time: -p 0 -d N measures generation alone).
        const auto deepSession = [&](int timedTokens) {
            Session session(*loaded.model, sessionOptions(engine, *loaded.model));
            if (timedTokens > 0 && !earlier.empty())
                session.evaluate(earlier, Model::Logits::Last, logits);
            return session;
        };

        // pp: the prompt into the cache; tg: one token at a time after BOS, as llama-bench; each after
        // the depth's tokens, untimed.
        std::vector<double> pp, tg;
        PhaseProfile ppProfile, tgProfile;
        for (int r = 0; r < options->repetitions + 1; ++r) { // the first run warms up
            Session session = deepSession(options->promptTokens);
            takeProfile(0);
            auto start = Clock::now();
            if (options->promptTokens > 0)
                session.evaluate(prompt, Model::Logits::Last, logits);
            const double ppSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            const PhaseProfile ppRun = takeProfile(ppSeconds);
            Session decoding = deepSession(options->generateTokens);
            int32_t token = loaded.tokenizer->spec().bos.value_or(0);
            takeProfile(0);
            start = Clock::now();
            for (int i = 0; i < options->generateTokens; ++i) {
                const int32_t one[] = {token};
                decoding.evaluate(one, Model::Logits::Last, logits);
                token = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
            }
            const double tgSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            const PhaseProfile tgRun = takeProfile(tgSeconds);
            if (r > 0) {
                pp.push_back(options->promptTokens / ppSeconds);
                tg.push_back(options->generateTokens / tgSeconds);
                ppProfile.add(ppRun);
                tgProfile.add(tgRun);
            }
        }
        const double ppRate = options->promptTokens > 0 ? median(pp) : 0;
        const double tgRate = options->generateTokens > 0 ? median(tg) : 0;
        const double ppTokens = double(options->promptTokens) * options->repetitions;
        const double tgTokens = double(options->generateTokens) * options->repetitions;
        if (onDevice && ppProfile.device.empty() && tgProfile.device.empty())
            throw Error(fmt::format("--profile: {} gave no device times (its compute queue writes no timestamps); "
                                    "profile on another device, or on --backend cpu",
                                    loaded.backend->name()));
        const std::vector<ProfileRow> ppRows = profiler ? phaseRows(ppProfile, onDevice, ppTokens) : std::vector<ProfileRow>{};
        const std::vector<ProfileRow> tgRows = profiler ? phaseRows(tgProfile, onDevice, tgTokens) : std::vector<ProfileRow>{};
        if (options->json) {
            const std::string profile =
                profiler ? fmt::format(", \"profile\": {{\"prompt\": {}, \"decode\": {}}}", profileJson(ppRows),
                                       profileJson(tgRows))
                         : std::string();
            fmt::print("{{\"engine\": \"latent\", \"backend\": \"{}\", \"pp\": {}, \"tg\": {}, \"depth\": {}, "
                       "\"pp_tok_s\": {:.2f}, \"tg_tok_s\": {:.2f}, \"peak_rss_bytes\": {}, \"weight_bytes_per_token\": {}{}}}\n",
                       loaded.backend->name(), options->promptTokens, options->generateTokens, options->depth, ppRate,
                       tgRate, peakResidentBytes(), weightBytesPerToken(*loaded.file), profile);
            return;
        }
        const std::string atDepth = options->depth > 0 ? fmt::format(" @ d{}", options->depth) : std::string();
        fmt::print("model     {}\nbackend   {}\npp{:<6}  {:.2f} tokens/s{}\ntg{:<6}  {:.2f} tokens/s{}\npeak RSS  {}\n"
                   "weights read per generated token  {}\n",
                   options->engine.model, loaded.backend->name(), options->promptTokens, ppRate, atDepth,
                   options->generateTokens, tgRate, atDepth, formatBytes(peakResidentBytes()),
                   formatBytes(weightBytesPerToken(*loaded.file)));
        const char* timeSource = onDevice ? "; device time from GPU timestamps" : "";
        if (!ppRows.empty())
            fmt::print("\n{}", profileTable(fmt::format("prompt: one forward pass of {} tokens, per token{}",
                                                        options->promptTokens, timeSource),
                                            ppRows));
        if (!tgRows.empty())
            fmt::print("\n{}",
                       profileTable(fmt::format("decode: one forward pass per generated token{}", timeSource), tgRows));
    });
}

} // namespace latent::cli
