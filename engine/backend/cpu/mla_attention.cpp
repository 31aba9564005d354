// Multi-head latent attention on the CPU, in whichever of its two forms costs less for the batch:
// - absorbed (decoding, short batches): each head's query is folded into the latent space
//   (W_UK^T q_nope), attends over the cached latents and rotated keys as one multi-query head of
//   width latentDim + ropeDim, and the latent result is expanded by W_UV;
// - decompressed (long prompts): each head's keys and values are expanded from the latents
//   once, by two matrix products (W_UK c, W_UV c), and attended in F16 as plain multi-head
//   attention of width nope + rope (attendInTiles), which is cheaper once many queries share each
//   key.
// The cache is read as it is stored: latentDim + ropeDim F16 values per position and layer.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/interleave.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/backend/cpu/row_block_product.h"
#include "engine/backend/cpu/tensor_access.h"

#include "engine/core/half.h"
#include "engine/quant/quantize.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace latent::cpu {
namespace {

// The decompressed form's groups of heads (see mlaAttentionDecompressed).
constexpr size_t kHeadsPerExpansion = 8;
constexpr size_t kExpandedBytes = size_t(64) << 20;

// The absorbed form's steps: the scores of up to this many keys a job (for every query of a group
// of tokens; fewer where a short cache would leave threads without two jobs, but whole tiles of
// the float products' three rows); the weighted sums of this many latent columns a job (64 F16
// values, two cache lines of each cached row); and the scores a group of tokens keeps.
constexpr size_t kScoreKeysPerJob = 96;
constexpr size_t kValueColumnsPerJob = 64;
constexpr size_t kScoreBytes = size_t(16) << 20;

size_t keysPerScoreJob(size_t keys, size_t threads)
{
    const size_t wanted = (keys + 2 * threads - 1) / (2 * threads);
    return std::clamp((wanted + 2) / 3 * 3, size_t(12), kScoreKeysPerJob);
}

// Queries a job of the weighted sums takes: up to 16 (four tiles of the value kernels, a column
// block read from memory once and from cache for the other three), fewer where that leaves
// under two jobs a thread.
size_t queriesPerValueJob(size_t queries, size_t columnBlocks, size_t threads)
{
    const size_t wanted = (queries * columnBlocks + 2 * threads - 1) / (2 * threads);
    return std::clamp((wanted + 3) / 4 * 4, size_t(4), size_t(16));
}

// Multiply-adds of each form for n queries after `first` cached positions; decompressing also
// transposes W_UK once per call. Below a few dozen queries the absorbed form always wins.
bool decompressionIsCheaper(const MlaParams& p, int64_t n)
{
    if (n < 64)
        return false;
    const double heads = p.heads, latent = p.latentDim, nope = p.nopeDim, rope = p.ropeDim, value = p.valueDim;
    const double keys = double(p.firstPosition + n), averageVisible = double(p.firstPosition) + double(n + 1) / 2;
    const double absorbed = double(n) * heads * (latent * nope + value * latent) +
                            double(n) * heads * averageVisible * (2 * latent + rope);
    const double decompressed = keys * heads * (nope + value) * latent + heads * latent * nope +
                                double(n) * heads * averageVisible * (nope + rope + value);
    return decompressed < absorbed;
}

} // namespace

void CpuBackend::mlaAttention(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                              const Tensor& keyUp, const Tensor& valueUp, const MlaParams& p)
{
    require(mlaArgumentsFit(out, q, latent, ropeKeys, keyUp, valueUp, p), "mlaAttention", "shapes do not match");
    if (mlaForm_ == MlaForm::Decompressed || (mlaForm_ == MlaForm::Cheaper && decompressionIsCheaper(p, q.rows)))
        mlaAttentionDecompressed(out, q, latent, ropeKeys, keyUp, valueUp, p);
    else
        mlaAttentionAbsorbed(out, q, latent, ropeKeys, keyUp, valueUp, p);
}

void CpuBackend::mlaAttentionAbsorbed(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                                      const Tensor& keyUp, const Tensor& valueUp, const MlaParams& p)
{
    const int64_t queryWidth = p.nopeDim + p.ropeDim;
    const auto heads = size_t(p.heads), latentDim = size_t(p.latentDim), ropeDim = size_t(p.ropeDim),
               nope = size_t(p.nopeDim), tokens = size_t(q.rows), firstPosition = size_t(p.firstPosition);
    const size_t latentStride = latent.rowBytes() / sizeof(uint16_t), ropeStride = ropeKeys.rowBytes() / sizeof(uint16_t);
    const size_t absorbedWidth = latentDim + ropeDim;
    // The queries' nope parts, a row per (token, head), quantized once for the products with W_UK
    // (each query's head a block of keyUp's rows: the matrix products' kernels, interleaved or not).
    const size_t queries = tokens * heads;
    mlaQueries_.resize(queries * nope);
    for (size_t i = 0; i < queries; ++i)
        std::copy_n(floats(q, int64_t(i / heads)) + i % heads * size_t(queryWidth), nope, mlaQueries_.data() + i * nope);
    // Each head's block of W_UK's and W_UV's rows, as the products index their outputs.
    std::vector<Tensor> headKeyUp, headValueUp;
    for (int64_t h = 0; h < p.heads; ++h) {
        headKeyUp.push_back(keyUp.rowsView(h * p.latentDim, p.latentDim));
        headValueUp.push_back(valueUp.rowsView(h * p.valueDim, p.valueDim));
    }
    ActivationNeeds keyNeeds, valueNeeds;
    keyNeeds.add(kernels_, keyUp);
    valueNeeds.add(kernels_, valueUp);
    const PreparedActivations nopeQueries =
        prepareActivations(kernels_, pool_, keyNeeds, activations_, activations_, mlaQueries_.data(), queries, nope);

    // Tokens in groups whose scores (queries x keys) fit kScoreBytes. Every head of every token of
    // a group attends over the same latents, so each step below reads the cache once for all of
    // them, split over threads by keys (scores) and by latent columns (the weighted sums). A
    // split by queries read the whole cache once per job, and on many threads left a decoding
    // step's few queries one to a job, each key widened for one query.
    const size_t scoresPerToken = heads * (firstPosition + tokens);
    const size_t groupTokens = std::clamp(kScoreBytes / (sizeof(float) * scoresPerToken), size_t(1), tokens);
    for (size_t t0 = 0; t0 < tokens; t0 += groupTokens) {
        const size_t count = std::min(groupTokens, tokens - t0), groupQueries = count * heads, firstQuery = t0 * heads;
        const size_t keyCount = firstPosition + t0 + count; // the group's last token sees the most
        mlaAbsorbed_.resize(groupQueries * absorbedWidth);
        mlaScores_.resize(groupQueries * keyCount);
        mlaAttended_.resize(groupQueries * latentDim);
        std::vector<size_t> visible(groupQueries);
        for (size_t i = 0; i < groupQueries; ++i)
            visible[i] = firstPosition + t0 + i / heads + 1;
        // Each query folded into the latent space (W_UK^T q_nope) beside its rotated part, both
        // rounded to F16 before they meet the F16 cache, as the reference engine computes it.
        pool_.parallelFor(groupQueries, 1, [&](size_t begin, size_t end) {
            for (size_t i = begin; i < end; ++i) {
                float* query = mlaAbsorbed_.data() + i * absorbedWidth;
                const size_t t = t0 + i / heads, h = i % heads;
                productRowBlock(kernels_, headKeyUp[h], 0, latentDim, nopeQueries, firstQuery + i, 1, query, 0);
                std::copy_n(floats(q, int64_t(t)) + h * size_t(queryWidth) + nope, ropeDim, query + latentDim);
                kernels_.roundToHalf(query, query, absorbedWidth);
            }
        });
        // Scores, a block of keys a job, as products of F16 rows (the keys) and float rows (the
        // queries) in the float products' tiles, each pair's bits those of one dot product: the
        // latent and the rotated parts, then their sum.
        const size_t keyBlock = keysPerScoreJob(keyCount, pool_.size());
        pool_.parallelFor((keyCount + keyBlock - 1) / keyBlock, 1, [&](size_t begin, size_t end) {
            std::vector<float> ropeScores(groupQueries * keyBlock);
            for (size_t block = begin; block < end; ++block) {
                const size_t j0 = block * keyBlock, n = std::min(keyBlock, keyCount - j0);
                float* scores = mlaScores_.data() + j0;
                kernels_.f16(rowPointer<uint16_t>(latent, int64_t(j0)), latentStride, n, mlaAbsorbed_.data(),
                             absorbedWidth, groupQueries, latentDim, scores, keyCount);
                kernels_.f16(rowPointer<uint16_t>(ropeKeys, int64_t(j0)), ropeStride, n, mlaAbsorbed_.data() + latentDim,
                             absorbedWidth, groupQueries, ropeDim, ropeScores.data(), n);
                for (size_t i = 0; i < groupQueries; ++i)
                    for (size_t j = 0; j < n; ++j)
                        scores[i * keyCount + j] = scores[i * keyCount + j] + ropeScores[i * n + j];
            }
        });
        // Each query's softmax over the keys it sees, as F16 weights.
        pool_.parallelFor(groupQueries, 1, [&](size_t begin, size_t end) {
            for (size_t i = begin; i < end; ++i) {
                float* weights = mlaScores_.data() + i * keyCount;
                const float divisor = kernels_.softmaxExponentials(weights, visible[i], p.scale);
                kernels_.attentionWeights(weights, visible[i], divisor);
            }
        });
        // The weighted sums of the latents: a job per block of columns and of queries (each
        // column's sums are the same bits however the columns are split).
        const size_t columnBlocks = (latentDim + kValueColumnsPerJob - 1) / kValueColumnsPerJob;
        const size_t queryBlock = queriesPerValueJob(groupQueries, columnBlocks, pool_.size());
        const size_t queryBlocks = (groupQueries + queryBlock - 1) / queryBlock;
        pool_.parallelFor(columnBlocks * queryBlocks, 1, [&](size_t begin, size_t end) {
            std::vector<float*> outs(queryBlock);
            for (size_t job = begin; job < end; ++job) {
                const size_t c0 = job % columnBlocks * kValueColumnsPerJob;
                const size_t columns = std::min(kValueColumnsPerJob, latentDim - c0);
                const size_t q0 = job / columnBlocks * queryBlock, n = std::min(queryBlock, groupQueries - q0);
                for (size_t i = 0; i < n; ++i)
                    outs[i] = mlaAttended_.data() + (q0 + i) * latentDim + c0;
                kernels_.attentionValuesF16(outs.data(), mlaScores_.data() + q0 * keyCount, keyCount, visible.data() + q0,
                                            n, rowPointer<uint16_t>(latent, 0) + c0, latentStride, columns);
            }
        });
        // Expanded by each head's W_UV.
        const PreparedActivations attendedRows = prepareActivations(kernels_, pool_, valueNeeds, mlaAttendedBlocks_,
                                                                    mlaAttendedSuperBlocks_, mlaAttended_.data(),
                                                                    groupQueries, latentDim);
        pool_.parallelFor(groupQueries, 1, [&](size_t begin, size_t end) {
            for (size_t i = begin; i < end; ++i) {
                const size_t t = t0 + i / heads, h = i % heads;
                productRowBlock(kernels_, headValueUp[h], 0, size_t(p.valueDim), attendedRows, i, 1,
                                floats(out, int64_t(t)) + h * size_t(p.valueDim), 0);
            }
        });
    }
}

void CpuBackend::mlaAttentionDecompressed(Tensor& out, const Tensor& q, const Tensor& latent, const Tensor& ropeKeys,
                                          const Tensor& keyUp, const Tensor& valueUp, const MlaParams& p)
{
    const int64_t keys = p.firstPosition + q.rows;
    const auto latentDim = size_t(p.latentDim), nope = size_t(p.nopeDim), ropeDim = size_t(p.ropeDim),
               valueDim = size_t(p.valueDim), keyDim = nope + ropeDim, heads = size_t(p.heads);
    // The visible latents in F32, once for all heads: the input of the expanding products.
    const Tensor latents = scratch(mlaLatents_, p.latentDim, keys).rowsView(0, keys);
    pool_.parallelFor(size_t(keys), 16, [&](size_t begin, size_t end) {
        for (size_t j = begin; j < end; ++j) {
            const uint16_t* c = rowPointer<uint16_t>(latent, int64_t(j));
            float* row = floats(latents, int64_t(j));
            for (size_t r = 0; r < latentDim; ++r)
                row[r] = halfToFloat(c[r]);
        }
    });
    // Heads in equal groups, of at most kHeadsPerExpansion and kExpandedBytes of expanded keys
    // and values (a long prompt of V3's 128 heads would otherwise expand gigabytes).
    const size_t bytesPerHead = size_t(keys) * (keyDim + valueDim) * sizeof(uint16_t);
    size_t group = std::min(heads, kHeadsPerExpansion);
    while (group > 1 && (heads % group != 0 || group * bytesPerHead > kExpandedBytes))
        --group;
    const auto groupKeys = int64_t(group * nope), groupValues = int64_t(group * valueDim);
    Tensor keyUpTransposed = scratch(mlaKeyUpTransposed_, p.latentDim, groupKeys).rowsView(0, groupKeys);
    Tensor headKeys = scratch(mlaKeys_, groupKeys, keys).rowsView(0, keys);
    Tensor headValues = scratch(mlaValues_, groupValues, keys).rowsView(0, keys);
    expandedKeys_.resize(size_t(keys) * group * keyDim);
    expandedValues_.resize(size_t(keys) * group * valueDim);
    for (size_t h0 = 0; h0 < heads; h0 += group) {
        // The group's W_UK transposed (nope rows of latentDim a head), so that its keys are one
        // matrix product; W_UV's rows already are.
        pool_.parallelFor(group * latentDim, 64, [&](size_t begin, size_t end) {
            std::vector<float> values(nope);
            std::vector<uint8_t> stored(keyUp.rowBytes()); // a row of an interleaved keyUp, as stored
            for (size_t row = begin; row < end; ++row) {
                const size_t h = row / latentDim, r = row % latentDim;
                const auto keyRow = int64_t((h0 + h) * latentDim + r);
                const uint8_t* bytes = stored.data();
                if (keyUp.layout == TensorLayout::Interleaved16)
                    deinterleaveRow(keyUp.type, rowPointer(keyUp, 0), keyUp.cols, keyRow, stored.data());
                else
                    bytes = rowPointer(keyUp, keyRow);
                quant::dequantizeInto(keyUp.type, {bytes, keyUp.rowBytes()}, values);
                for (size_t i = 0; i < nope; ++i)
                    floats(keyUpTransposed, int64_t(h * nope + i))[r] = values[i];
            }
        });
        matmul(headKeys, keyUpTransposed, latents);
        matmul(headValues, valueUp.rowsView(int64_t(h0 * valueDim), groupValues), latents);
        // In F16, laid out as a cache of the group's heads (a key: its nope values, then the
        // rotated key every head shares), for the attention every other form runs.
        pool_.parallelFor(size_t(keys), 16, [&](size_t begin, size_t end) {
            for (size_t j = begin; j < end; ++j) {
                const float* k = floats(headKeys, int64_t(j));
                const float* v = floats(headValues, int64_t(j));
                const uint16_t* rotated = rowPointer<uint16_t>(ropeKeys, int64_t(j));
                uint16_t* keyRow = expandedKeys_.data() + j * group * keyDim;
                uint16_t* valueRow = expandedValues_.data() + j * group * valueDim;
                for (size_t h = 0; h < group; ++h) {
                    kernels_.toHalf(keyRow + h * keyDim, k + h * nope, nope);
                    std::copy_n(rotated, ropeDim, keyRow + h * keyDim + nope);
                }
                kernels_.toHalf(valueRow, v, group * valueDim);
            }
        });
        attendInTiles({.queries = floats(q) + h0 * keyDim, .queryStride = q.rowBytes() / sizeof(float),
                       .outs = floats(out) + h0 * valueDim, .outStride = out.rowBytes() / sizeof(float),
                       .keys = expandedKeys_.data(), .keyStride = group * keyDim, .keyHeadStride = keyDim,
                       .values = expandedValues_.data(), .valueStride = group * valueDim,
                       .valueHeadStride = valueDim, .tokens = size_t(q.rows), .heads = group, .kvHeads = group,
                       .keyDim = keyDim, .valueDim = valueDim, .firstPosition = size_t(p.firstPosition),
                       .scale = p.scale});
    }
}

} // namespace latent::cpu
