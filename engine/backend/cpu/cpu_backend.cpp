#include "engine/backend/cpu/cpu_backend.h"

#include "engine/backend/cpu/attention_tiles.h"
#include "engine/backend/cpu/interleave.h"
#include "engine/backend/cpu/row_block_product.h"
#include "engine/backend/cpu/tensor_access.h"
#include "engine/backend/rope_frequencies.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/quant/quantize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace latent::cpu {
namespace {

using gguf::TensorType;

// Rows per task of the float products; groups of kRowsPerCall rows per task of the block ones.
constexpr int64_t kRowGrain = 16;
constexpr size_t kGroupGrain = 2;
// Queries of one KV head per job of attention(): a prompt's jobs gather their head's keys and
// values once for this many.
constexpr size_t kQueriesPerAttentionJob = 64;

} // namespace

CpuBackend::CpuBackend(size_t threads, const DotKernels& kernels) : pool_(threads), kernels_(kernels)
{
    if (const char* form = std::getenv("LATENT_MLA_FORM")) {
        const std::string_view name(form);
        if (name == "absorbed")
            mlaForm_ = MlaForm::Absorbed;
        else if (name == "decompressed")
            mlaForm_ = MlaForm::Decompressed;
        else if (!name.empty())
            throw Error(fmt::format("LATENT_MLA_FORM='{}': choose absorbed or decompressed (or unset it)", name));
    }
}

std::string CpuBackend::name() const
{
    return fmt::format("cpu ({} threads, {} kernels)", pool_.size(), kernels_.name);
}

Tensor CpuBackend::weight(const gguf::GgufFile& file, const gguf::TensorInfo& info, WeightUse use)
{
    Tensor tensor;
    tensor.type = info.type;
    tensor.cols = int64_t(info.shape[0]);
    tensor.rows = int64_t(info.rowCount());
    const uint8_t* data = file.tensorData(info).data();
    // Experts' matrices ([cols, rows, experts]) are used an expert at a time: a group of rows
    // must not straddle two experts.
    const auto rowsPerMatrix = int64_t(info.shape.size() > 1 ? info.shape[1] : 1);
    if (use == WeightUse::Product && hasInterleavedKernel(kernels_, info.type) &&
        canInterleave(info.type, tensor.cols, rowsPerMatrix)) {
        // Regrouped once at load for the interleaved kernels (interleave.h); the mapped pages are
        // then let go, so the model is resident once, not twice.
        const size_t bytes = interleavedBytes(info.type, tensor.cols, tensor.rows);
        auto storage = HostStorage::allocate(bytes);
        if (!storage)
            throw Error(fmt::format("cpu backend: cannot allocate {} MiB for tensor '{}'; close other programs or use "
                                    "a smaller model",
                                    bytes >> 20, info.name),
                        ErrorKind::OutOfMemory);
        uint8_t* memory = storage->bytes();
        tensor.storage = std::move(storage);
        pool_.parallelFor(size_t(tensor.rows / kInterleavedRows), 1, [&](size_t begin, size_t end) {
            interleave(info.type, data, tensor.cols, int64_t(begin), int64_t(end), memory);
        });
        tensor.layout = TensorLayout::Interleaved16;
        file.releaseTensorData(info);
        return tensor;
    }
    // Read in place: the model keeps the file (and so the mapping) alive as long as its tensors.
    tensor.storage = HostStorage::inPlace(data);
    return tensor;
}

Tensor CpuBackend::allocate(gguf::TensorType type, int64_t cols, int64_t rows)
{
    Tensor tensor;
    tensor.type = type;
    tensor.cols = cols;
    tensor.rows = rows;
    const size_t bytes = tensor.rowBytes() * size_t(rows);
    auto storage = HostStorage::allocate(bytes);
    if (!storage)
        throw Error(fmt::format("cpu backend: cannot allocate {} MiB; close other programs or choose a smaller "
                                "context size",
                                bytes >> 20),
                    ErrorKind::OutOfMemory);
    std::memset(storage->bytes(), 0, bytes);
    tensor.storage = std::move(storage);
    return tensor;
}

Tensor CpuBackend::allocateCache(int64_t heads, int64_t headDim, int64_t capacity)
{
    // By head: a decoding step reads each head's keys and then its values position after
    // position, which in rows of positions are a row apart (every head's values side by side: 4
    // KiB in DeepSeek-Coder-1.3B), past what the hardware prefetchers follow; one head's rows one
    // after another are a stream. Coder-1.3B's attention at 2,048 positions read its cache ~2x as
    // fast so (README).
    Tensor cache = allocate(TensorType::F16, heads * headDim, capacity);
    cache.layout = TensorLayout::HeadMajor;
    cache.heads = heads;
    return cache;
}

void CpuBackend::upload(Tensor& tensor, std::span<const float> values)
{
    require(tensor.layout == TensorLayout::Rows, "upload", "expects a tensor stored as rows");
    require((tensor.type == TensorType::F32 || tensor.type == TensorType::F16) &&
                values.size() == size_t(tensor.cols * tensor.rows),
            "upload", "expects all the values of an F32 or F16 tensor");
    if (tensor.type == TensorType::F32) {
        std::memcpy(floats(tensor), values.data(), values.size_bytes());
        return;
    }
    kernels_.toHalf(rowPointer<uint16_t>(tensor, 0), values.data(), values.size());
}

void CpuBackend::getRows(Tensor& out, const Tensor& table, std::span<const int32_t> ids)
{
    const std::string problem = getRowsArgumentsProblem(out, table, ids);
    require(problem.empty(), "getRows", problem.c_str());
    require(table.layout == TensorLayout::Rows, "getRows", "expects a table stored as rows");
    for (size_t t = 0; t < ids.size(); ++t) {
        const std::span<const uint8_t> row(rowPointer(table, ids[t]), table.rowBytes());
        const std::vector<float> values = quant::dequantize(table.type, row, size_t(table.cols));
        std::memcpy(floats(out, int64_t(t)), values.data(), values.size() * sizeof(float));
    }
}

void CpuBackend::rmsNorm(Tensor& out, const Tensor& x, const Tensor& weight, float eps)
{
    require(out.cols == x.cols && out.rows == x.rows && weight.cols == x.cols && weight.type == TensorType::F32,
            "rmsNorm", "shapes do not match");
    const float* w = floats(weight);
    pool_.parallelFor(size_t(x.rows), 1, [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t) {
            const float* in = floats(x, int64_t(t));
            float* result = floats(out, int64_t(t));
            // The squares summed in double precision, in eight running sums: one chain of additions
            // would take longer than the rest of the step.
            const auto n = size_t(x.cols);
            double lanes[8] = {};
            size_t i = 0;
            for (; i + 8 <= n; i += 8) {
                for (size_t k = 0; k < 8; ++k)
                    lanes[k] += double(in[i + k]) * in[i + k];
            }
            double sum = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
            for (; i < n; ++i)
                sum += double(in[i]) * in[i];
            const auto scale = float(1.0 / std::sqrt(sum / double(x.cols) + eps));
            for (int64_t i = 0; i < x.cols; ++i)
                result[i] = in[i] * scale * w[i];
        }
    });
}

void CpuBackend::matmul(Tensor& out, const Tensor& weight, const Tensor& x)
{
    require(matmulArgumentsFit(out, weight, x), "matmul", "shapes do not match");
    switch (weight.type) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16: matmulFloat(out, weight, x); return;
    default: break;
    }
    if (weight.layout == TensorLayout::Interleaved16)
        matmulInterleaved(out, weight, x);
    else if (blockRowsDot(kernels_, weight.type))
        matmulBlocks(out, weight, x);
    else
        throw Error(fmt::format("cpu backend: weights of type {} cannot be multiplied", gguf::tensorTypeName(weight.type)));
}

void CpuBackend::matmulBlocks(Tensor& out, const Tensor& weight, const Tensor& x)
{
    const BlockRowsDot dot = blockRowsDot(kernels_, weight.type);
    const auto rows = size_t(weight.rows), tokens = size_t(x.rows), cols = size_t(x.cols);
    const size_t blocks = cols / gguf::tensorTypeTraits(weight.type).blockValues;
    // The activations in the format this type's kernels pair with.
    std::vector<ActivationRow> activations(tokens);
    if (activationFormat(weight.type) == ActivationFormat::SuperBlocks) {
        const auto quantized = activations_.quantizeSuperBlocks(kernels_, pool_, floats(x), tokens, cols);
        for (size_t t = 0; t < tokens; ++t)
            activations[t] = quantized.row(t);
    } else {
        const bool sums = activationFormat(weight.type) == ActivationFormat::Blocks32WithSums;
        const QuantizedRows quantized = activations_.quantize(kernels_, pool_, floats(x), tokens, cols, {.sumScales = sums});
        for (size_t t = 0; t < tokens; ++t)
            activations[t] = {quantized.quantsOf(t, 0), quantized.scalesOf(t, 0),
                              sums ? quantized.sumScales + t * quantized.stride : nullptr};
    }
    // Groups of eight rows against blocks of tokens (the rows stay in cache across them).
    const size_t groups = (rows + kRowsPerCall - 1) / kRowsPerCall;
    pool_.parallelFor(groups, kGroupGrain, [&](size_t begin, size_t end) {
        for (size_t t0 = 0; t0 < tokens; t0 += kTokenBlock) {
            const size_t count = std::min<size_t>(kTokenBlock, tokens - t0);
            for (size_t group = begin; group < end; ++group) {
                const size_t r0 = group * kRowsPerCall;
                const WeightRows w{rowPointer(weight, int64_t(r0)), weight.rowBytes(), std::min(kRowsPerCall, rows - r0),
                                   blocks};
                dot(w, activations.data() + t0, count, floats(out, int64_t(t0)) + r0, size_t(out.cols));
            }
        }
    });
}

void CpuBackend::matmulFloat(Tensor& out, const Tensor& weight, const Tensor& x)
{
    pool_.parallelFor(size_t(weight.rows), kRowGrain, [&](size_t begin, size_t end) {
        floatRowsProduct(kernels_, weight, begin, end - begin, floats(x), x.rowBytes() / sizeof(float),
                         size_t(x.rows), floats(out), out.rowBytes() / sizeof(float));
    });
}

void CpuBackend::matmulInterleaved(Tensor& out, const Tensor& weight, const Tensor& x)
{
    const auto tokens = size_t(x.rows), cols = size_t(x.cols);
    ActivationNeeds needs;
    needs.add(kernels_, weight);
    // One format (32-value blocks with sums, or super-blocks): one store holds it.
    const PreparedActivations activations =
        prepareActivations(kernels_, pool_, needs, activations_, activations_, floats(x), tokens, cols);
    // Token blocks outside, so a block's activations stay in cache while every group of weight
    // rows streams past.
    constexpr size_t kTokens = 64;
    for (size_t t0 = 0; t0 < tokens; t0 += kTokens) {
        const size_t count = std::min(kTokens, tokens - t0);
        pool_.parallelFor(size_t(weight.rows / kInterleavedRows), 1, [&](size_t begin, size_t end) {
            productRowBlock(kernels_, weight, begin * kInterleavedRows, (end - begin) * kInterleavedRows, activations,
                            t0, count, floats(out, int64_t(t0)), size_t(out.cols));
        });
    }
}

void CpuBackend::rope(Tensor& x, std::span<const int32_t> positions, const RopeParams& params)
{
    require(ropeArgumentsFit(x, positions.size(), params), "rope", "shapes do not match");
    const std::vector<float>& rotations = this->rotations(positions, params);
    const auto pairs = size_t(params.ropeDims / 2);
    const int64_t heads = x.cols / params.headDim;
    pool_.parallelFor(size_t(x.rows), 1, [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t) {
            float* row = floats(x, int64_t(t));
            for (size_t i = 0; i < pairs; ++i) {
                const float c = rotations[(t * pairs + i) * 2], s = rotations[(t * pairs + i) * 2 + 1];
                for (int64_t h = 0; h < heads; ++h) {
                    float* pair = row + h * params.headDim + params.firstDim + 2 * i;
                    const float a = pair[0], b = pair[1];
                    pair[0] = a * c - b * s;
                    pair[1] = a * s + b * c;
                }
            }
        }
    });
}

const std::vector<float>& CpuBackend::rotations(std::span<const int32_t> positions, const RopeParams& params)
{
    if (!(params == rotatedParams_ && std::ranges::equal(positions, rotatedPositions_))) {
        rotations_ = ropeRotations(positions, params);
        rotatedPositions_.assign(positions.begin(), positions.end());
        rotatedParams_ = params;
    }
    return rotations_;
}

void CpuBackend::store(Tensor& cache, const Tensor& x, int64_t firstPosition)
{
    require(storeArgumentsFit(cache, x, firstPosition), "store", "shapes do not match");
    const int64_t headDim = cache.cols / cache.heads;
    const CacheSteps steps = cacheSteps(cache, headDim);
    uint16_t* rows = rowPointer<uint16_t>(cache, 0);
    for (int64_t h = 0; h < cache.heads; ++h)
        for (int64_t t = 0; t < x.rows; ++t)
            kernels_.toHalf(rows + size_t(h) * steps.head + size_t(firstPosition + t) * steps.position,
                            floats(x, t) + h * headDim, size_t(headDim));
}

void CpuBackend::attention(Tensor& out, const Tensor& q, const Tensor& keys, const Tensor& values,
                           const AttentionParams& p)
{
    require(attentionArgumentsFit(out, q, keys, values, p), "attention", "shapes do not match");
    const auto headDim = size_t(p.headDim);
    const CacheSteps keySteps = cacheSteps(keys, p.headDim), valueSteps = cacheSteps(values, p.headDim);
    attendInTiles({.queries = floats(q), .queryStride = q.rowBytes() / sizeof(float), .outs = floats(out),
                   .outStride = out.rowBytes() / sizeof(float), .keys = rowPointer<uint16_t>(keys, 0),
                   .keyStride = keySteps.position, .keyHeadStride = keySteps.head,
                   .values = rowPointer<uint16_t>(values, 0), .valueStride = valueSteps.position,
                   .valueHeadStride = valueSteps.head, .tokens = size_t(q.rows), .heads = size_t(p.heads),
                   .kvHeads = size_t(p.kvHeads), .keyDim = headDim, .valueDim = headDim, .firstPosition = size_t(p.firstPosition), .scale = p.scale});
}

void CpuBackend::attendInTiles(const TiledAttention& a)
{
    const size_t groupSize = a.heads / a.kvHeads;
    // Each KV head's queries, (token, head of its group) token by token, in tiles that share
    // each key and value as the tile kernels widen them, a few tiles a job.
    const size_t queries = a.tokens * groupSize;
    const size_t tile = queriesPerTile(queries, queries * a.kvHeads, pool_.size());
    // Several tiles a job where the loop keeps two jobs per thread (a decoding step on many
    // threads wants a job per tile).
    const size_t tiles = a.kvHeads * ((queries + tile - 1) / tile);
    const size_t perJob =
        tile * std::max<size_t>(1, std::min(kQueriesPerAttentionJob / tile, tiles / (2 * pool_.size())));
    const size_t jobsPerHead = (queries + perJob - 1) / perJob;
    // The query and the attention weights are rounded to F16 before they meet the F16 keys and
    // values, as llama.cpp computes it: quantized models amplify small differences, and this keeps
    // our logits within the reference engine's at every position.
    pool_.parallelFor(a.kvHeads * jobsPerHead, 1, [&](size_t begin, size_t end) {
        std::vector<uint16_t> headKeys, headValues;
        std::vector<float> rounded(tile * a.keyDim), scores;
        std::vector<const float*> rows(tile);
        std::vector<float*> outs(tile);
        std::vector<size_t> visible(tile);
        for (size_t job = begin; job < end; ++job) {
            const size_t kvHead = job / jobsPerHead, jobFirst = job % jobsPerHead * perJob;
            const size_t jobEnd = std::min(queries, jobFirst + perJob);
            const size_t jobKeys = a.firstPosition + (jobEnd - 1) / groupSize + 1;
            const uint16_t* headKey = a.keys + kvHead * a.keyHeadStride;
            const uint16_t* headValue = a.values + kvHead * a.valueHeadStride;
            size_t headKeyStride = a.keyStride, headValueStride = a.valueStride;
            if (jobEnd - jobFirst > tile && (a.keyStride != a.keyDim || a.valueStride != a.valueDim)) {
                // Several tiles read this head's rows: gathered once, they stay in cache, where
                // in rows of positions (a row of every head per position) their addresses fall
                // on a few cache sets and evict one another.
                headKeys.resize(jobKeys * a.keyDim);
                headValues.resize(jobKeys * a.valueDim);
                for (size_t j = 0; j < jobKeys; ++j) {
                    std::copy_n(headKey + j * a.keyStride, a.keyDim, headKeys.data() + j * a.keyDim);
                    std::copy_n(headValue + j * a.valueStride, a.valueDim, headValues.data() + j * a.valueDim);
                }
                headKey = headKeys.data();
                headValue = headValues.data();
                headKeyStride = a.keyDim;
                headValueStride = a.valueDim;
            }
            for (size_t first = jobFirst; first < jobEnd; first += tile) {
                const size_t count = std::min(tile, jobEnd - first);
                for (size_t i = 0; i < count; ++i) {
                    const size_t t = (first + i) / groupSize;
                    const size_t h = kvHead * groupSize + (first + i) % groupSize;
                    kernels_.roundToHalf(rounded.data() + i * a.keyDim, a.queries + t * a.queryStride + h * a.keyDim,
                                         a.keyDim);
                    rows[i] = rounded.data() + i * a.keyDim;
                    outs[i] = a.outs + t * a.outStride + h * a.valueDim;
                    visible[i] = a.firstPosition + t + 1;
                }
                const size_t keyCount = visible[count - 1]; // the tile's last token sees the most
                scores.resize(count * keyCount);
                kernels_.attentionScoresF16(headKey, headKeyStride, keyCount, rows.data(), count, a.keyDim,
                                            scores.data(), keyCount);
                for (size_t i = 0; i < count; ++i) {
                    float* weights = scores.data() + i * keyCount;
                    const float divisor = kernels_.softmaxExponentials(weights, visible[i], a.scale);
                    kernels_.attentionWeights(weights, visible[i], divisor);
                }
                kernels_.attentionValuesF16(outs.data(), scores.data(), keyCount, visible.data(), count, headValue,
                                            headValueStride, a.valueDim);
            }
        }
    });
}

void CpuBackend::swiglu(Tensor& out, const Tensor& gate, const Tensor& up)
{
    require(out.cols == gate.cols && gate.cols == up.cols && out.rows == gate.rows && gate.rows == up.rows, "swiglu",
            "shapes do not match");
    pool_.parallelFor(size_t(out.rows), 1, [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t)
            kernels_.swiglu(floats(out, int64_t(t)), floats(gate, int64_t(t)), floats(up, int64_t(t)), size_t(out.cols));
    });
}

void CpuBackend::add(Tensor& out, const Tensor& a, const Tensor& b)
{
    require(out.cols == a.cols && a.cols == b.cols && out.rows == a.rows && a.rows == b.rows, "add",
            "shapes do not match");
    for (int64_t t = 0; t < out.rows; ++t) {
        const float* x = floats(a, t);
        const float* y = floats(b, t);
        float* result = floats(out, t);
        for (int64_t i = 0; i < out.cols; ++i)
            result[i] = x[i] + y[i];
    }
}

void CpuBackend::read(const Tensor& tensor, std::span<float> values)
{
    require(tensor.type == TensorType::F32 && values.size() == size_t(tensor.cols * tensor.rows), "read",
            "expects all the F32 values of the tensor");
    std::memcpy(values.data(), floats(tensor), values.size_bytes());
}

} // namespace latent::cpu
