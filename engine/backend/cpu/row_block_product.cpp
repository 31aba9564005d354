#include "engine/backend/cpu/row_block_product.h"

#include "engine/backend/cpu/interleave.h"
#include "engine/backend/cpu/tensor_access.h"
#include "engine/core/error.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent::cpu {
namespace {

using gguf::TensorType;

// Tokens per call of the interleaved kernels, as matmul() groups them.
constexpr size_t kInterleavedTokens = 8;
// Float weights' rows per call of their kernels: a block that stays in the second-level cache
// while every tile of tokens goes past it (float_rows.h).
constexpr size_t kFloatBlockBytes = size_t(256) << 10;

bool isFloat(TensorType type)
{
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16;
}

void floatRows(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
               const PreparedActivations& x, size_t firstToken, size_t tokens, float* out, size_t outStride)
{
    floatRowsProduct(kernels, weight, firstRow, rowCount, x.floats + firstToken * x.cols, x.cols, tokens, out, outStride);
}

void interleavedRows(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
                     const PreparedActivations& x, size_t firstToken, size_t tokens, float* out, size_t outStride)
{
    const size_t blocks = x.cols / gguf::tensorTypeTraits(weight.type).blockValues;
    const uint8_t* base = rowPointer(weight, 0);
    const size_t groupBytes = blocks * interleavedGroupBlockBytes(weight.type);
    const InterleavedDot dot = interleavedDot(kernels, weight.type);
    const InterleavedSuperDot superDot = interleavedSuperDot(kernels, weight.type);
    for (size_t group = firstRow / kInterleavedRows; group < (firstRow + rowCount) / kInterleavedRows; ++group) {
        for (size_t t = 0; t < tokens; t += kInterleavedTokens) {
            const size_t row = firstToken + t, count = std::min(kInterleavedTokens, tokens - t);
            float* target = out + t * outStride + group * kInterleavedRows;
            if (superDot) {
                ActivationRow rows[kInterleavedTokens];
                for (size_t i = 0; i < count; ++i)
                    rows[i] = x.superBlocks.row(row + i);
                superDot(base + group * groupBytes, blocks, rows, count, target, outStride);
            } else {
                const QuantizedRows& a = x.blocks;
                const QuantizedRows rows{a.quantsOf(row, 0), a.scalesOf(row, 0), a.stride, a.sums + row * a.stride};
                dot(base + group * groupBytes, blocks, rows, count, target, outStride);
            }
        }
    }
}

void blockRows(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
               const PreparedActivations& x, size_t firstToken, size_t tokens, float* out, size_t outStride)
{
    const BlockRowsDot dot = blockRowsDot(kernels, weight.type);
    const bool superBlocks = activationFormat(weight.type) == ActivationFormat::SuperBlocks;
    const bool sumScales = activationFormat(weight.type) == ActivationFormat::Blocks32WithSums;
    const size_t blocks = x.cols / gguf::tensorTypeTraits(weight.type).blockValues;
    ActivationRow activations[kTokenBlock];
    for (size_t t0 = 0; t0 < tokens; t0 += kTokenBlock) {
        const size_t count = std::min(kTokenBlock, tokens - t0);
        for (size_t i = 0; i < count; ++i) {
            const size_t row = firstToken + t0 + i;
            activations[i] = superBlocks ? x.superBlocks.row(row)
                                         : ActivationRow{x.blocks.quantsOf(row, 0), x.blocks.scalesOf(row, 0),
                                                         sumScales ? x.blocks.sumScales + row * x.blocks.stride : nullptr};
        }
        for (size_t r0 = firstRow; r0 < firstRow + rowCount; r0 += kRowsPerCall) {
            const WeightRows w{rowPointer(weight, int64_t(r0)), weight.rowBytes(),
                               std::min(kRowsPerCall, firstRow + rowCount - r0), blocks};
            dot(w, activations, count, out + t0 * outStride + r0, outStride);
        }
    }
}

} // namespace

void RowBlockItems::add(size_t rows)
{
    rows_.push_back(rows);
    firstItem_.push_back(firstItem_.back() + (rows + kRowBlock - 1) / kRowBlock);
}

RowBlockItems::Item RowBlockItems::operator[](size_t item) const
{
    const auto matrix = size_t(std::upper_bound(firstItem_.begin(), firstItem_.end(), item) - firstItem_.begin()) - 1;
    const size_t firstRow = (item - firstItem_[matrix]) * kRowBlock;
    return {matrix, firstRow, std::min(kRowBlock, rows_[matrix] - firstRow)};
}

void ActivationNeeds::add(const DotKernels& kernels, const Tensor& weight)
{
    if (isFloat(weight.type))
        return;
    if (weight.layout == TensorLayout::Interleaved16) {
        if (activationFormat(weight.type) == ActivationFormat::SuperBlocks)
            superBlocks = true;
        else
            blocks = sums = true;
        return;
    }
    if (!blockRowsDot(kernels, weight.type))
        throw Error(fmt::format("cpu backend: weights of type {} cannot be multiplied", gguf::tensorTypeName(weight.type)));
    switch (activationFormat(weight.type)) {
    case ActivationFormat::Blocks32: blocks = true; break;
    case ActivationFormat::Blocks32WithSums: blocks = sumScales = true; break;
    case ActivationFormat::SuperBlocks: superBlocks = true; break;
    }
}

PreparedActivations prepareActivations(const DotKernels& kernels, ThreadPool& pool, const ActivationNeeds& needs,
                                       QuantizedActivations& blockStore, QuantizedActivations& superBlockStore,
                                       const float* x, size_t rows, size_t cols)
{
    PreparedActivations prepared{.floats = x, .cols = cols};
    if (needs.blocks)
        prepared.blocks = blockStore.quantize(kernels, pool, x, rows, cols, {.sums = needs.sums, .sumScales = needs.sumScales});
    if (needs.superBlocks)
        prepared.superBlocks = superBlockStore.quantizeSuperBlocks(kernels, pool, x, rows, cols);
    return prepared;
}

void floatRowsProduct(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
                      const float* x, size_t xStride, size_t tokens, float* out, size_t outStride)
{
    const auto n = size_t(weight.cols);
    const size_t rowsPerBlock = std::max<size_t>(1, kFloatBlockBytes / weight.rowBytes());
    const size_t rowStride = weight.rowBytes() / gguf::tensorTypeTraits(weight.type).blockBytes; // in values
    for (size_t r0 = firstRow; r0 < firstRow + rowCount; r0 += rowsPerBlock) {
        const size_t rows = std::min(rowsPerBlock, firstRow + rowCount - r0);
        float* target = out + r0;
        if (weight.type == TensorType::F32)
            kernels.f32(rowPointer<float>(weight, int64_t(r0)), rowStride, rows, x, xStride, tokens, n, target, outStride);
        else if (weight.type == TensorType::F16)
            kernels.f16(rowPointer<uint16_t>(weight, int64_t(r0)), rowStride, rows, x, xStride, tokens, n, target, outStride);
        else
            kernels.bf16(rowPointer<uint16_t>(weight, int64_t(r0)), rowStride, rows, x, xStride, tokens, n, target, outStride);
    }
}

void productRowBlock(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
                     const PreparedActivations& x, size_t firstToken, size_t tokens, float* out, size_t outStride)
{
    if (isFloat(weight.type))
        floatRows(kernels, weight, firstRow, rowCount, x, firstToken, tokens, out, outStride);
    else if (weight.layout == TensorLayout::Interleaved16)
        interleavedRows(kernels, weight, firstRow, rowCount, x, firstToken, tokens, out, outStride);
    else
        blockRows(kernels, weight, firstRow, rowCount, x, firstToken, tokens, out, outStride);
}

} // namespace latent::cpu
