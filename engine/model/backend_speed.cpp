#include "engine/model/backend_speed.h"

#include "engine/core/utf8_path.h"
#include "engine/gguf/gguf_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <vector>

namespace latent {
namespace {

constexpr int64_t kPromptTokens = 512, kPromptBatch = 64, kGeneratedTokens = 128;
constexpr int kDecodeRepeats = 16;

// Seconds per product of weight with `tokens` activation rows, over `repeats` products recorded
// together (as a forward pass records its products before one synchronize).
double productSeconds(Backend& backend, const Tensor& weight, int64_t tokens, int repeats)
{
    std::mt19937 random(7);
    std::uniform_real_distribution<float> value(-1, 1);
    std::vector<float> values(size_t(tokens * weight.cols));
    for (float& v : values)
        v = value(random);
    Tensor x = backend.allocate(gguf::TensorType::F32, weight.cols, tokens);
    Tensor out = backend.allocate(gguf::TensorType::F32, weight.rows, tokens);
    backend.upload(x, values);
    backend.matmul(out, weight, x); // once unmeasured: pipelines, caches, thread wake-up
    backend.synchronize();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i)
        backend.matmul(out, weight, x);
    backend.synchronize();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

} // namespace

const gguf::TensorInfo* measuredMatrix(const gguf::GgufFile& file)
{
    const gguf::TensorInfo* largest = nullptr;
    for (const gguf::TensorInfo& info : file.tensors()) {
        if (info.name.starts_with("blk.0.") && info.shape.size() == 2 && (!largest || info.byteSize > largest->byteSize))
            largest = &info;
    }
    return largest;
}

double chatTurnSeconds(Backend& backend, const gguf::GgufFile& file)
{
    const gguf::TensorInfo* info = measuredMatrix(file);
    if (!info)
        return 0;
    const Tensor weight = backend.weight(file, *info, WeightUse::Product);
    return double(kPromptTokens / kPromptBatch) * productSeconds(backend, weight, kPromptBatch, 2) +
           double(kGeneratedTokens) * productSeconds(backend, weight, 1, kDecodeRepeats);
}

std::string speedRecordKey(const gguf::GgufFile& file, const std::string& device)
{
    const gguf::Metadata& meta = file.metadata();
    const std::string architecture = meta.getOptional<std::string>("general.architecture").value_or("");
    const auto number = [&](const char* key) { return meta.getIntegerOptional<uint64_t>(architecture + key).value_or(0); };
    const gguf::TensorInfo* matrix = measuredMatrix(file);
    std::string key = fmt::format("{} | {} blocks {} embd {} ff {} experts {} {}", device, architecture,
                                  number(".block_count"), number(".embedding_length"), number(".feed_forward_length"),
                                  number(".expert_count"), matrix ? gguf::tensorTypeName(matrix->type) : "none");
    std::replace(key.begin(), key.end(), '\t', ' '); // the file's separator
    std::replace(key.begin(), key.end(), '\n', ' ');
    return key;
}

SpeedRecords::SpeedRecords(std::filesystem::path path) : path_(std::move(path)) {}

namespace {

std::map<std::string, SpeedRecord> readRecords(const std::filesystem::path& path)
{
    std::map<std::string, SpeedRecord> records;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const size_t first = line.find('\t'), second = line.find('\t', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        SpeedRecord record;
        std::istringstream numbers(line.substr(first + 1));
        if (numbers >> record.cpuSeconds >> record.gpuSeconds && record.cpuSeconds > 0 && record.gpuSeconds > 0)
            records[line.substr(0, first)] = record;
    }
    return records;
}

} // namespace

std::optional<SpeedRecord> SpeedRecords::find(const std::string& key) const
{
    const std::map<std::string, SpeedRecord> records = readRecords(path_);
    const auto found = records.find(key);
    return found == records.end() ? std::nullopt : std::optional(found->second);
}

std::string SpeedRecords::store(const std::string& key, const SpeedRecord& record)
{
    std::map<std::string, SpeedRecord> records = readRecords(path_);
    records[key] = record;
    std::error_code error;
    if (path_.has_parent_path())
        std::filesystem::create_directories(path_.parent_path(), error);
    std::filesystem::path written = path_;
    written += ".new";
    {
        std::ofstream out(written, std::ios::trunc);
        for (const auto& [name, kept] : records)
            out << name << '\t' << fmt::format("{:.6g}\t{:.6g}", kept.cpuSeconds, kept.gpuSeconds) << '\n';
        if (!out.flush())
            return fmt::format("could not write {}", utf8FromPath(written));
    }
    std::filesystem::rename(written, path_, error); // whole or not at all, for another process reading it
    return error ? fmt::format("could not write {}: {}", utf8FromPath(path_), error.message()) : std::string();
}

std::filesystem::path SpeedRecords::defaultPath()
{
#ifdef _WIN32
    // The wide environment: the user's folder name need not fit the ANSI code page.
    const wchar_t* localAppData = _wgetenv(L"LOCALAPPDATA");
    std::filesystem::path base = localAppData && *localAppData ? std::filesystem::path(localAppData)
                                                               : std::filesystem::path();
#else
    const auto folder = [](const char* variable) -> std::filesystem::path {
        const char* value = std::getenv(variable);
        return value && *value ? std::filesystem::path(value) : std::filesystem::path();
    };
    std::filesystem::path base = folder("XDG_CACHE_HOME");
    if (base.empty() && !folder("HOME").empty())
        base = folder("HOME") / ".cache";
#endif
    return base.empty() ? std::filesystem::path() : base / "latent" / "backend-speed.tsv";
}

} // namespace latent
