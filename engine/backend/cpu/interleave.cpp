#include "engine/backend/cpu/interleave.h"

#include "engine/quant/blocks.h"

#include <cstring>

namespace latent::cpu {
namespace {

using gguf::TensorType;

constexpr size_t kQ4GroupBlockBytes = 32 + 4 * 64;
constexpr size_t kQ5GroupBlockBytes = 32 + 4 * 64 + 64;
constexpr size_t kQ8GroupBlockBytes = 32 + 8 * 64;
constexpr size_t kQ4KGroupBlockBytes = 64 + 96 + 96 + 8 * 256;
constexpr size_t kQ6KGroupBlockBytes = 32 + 256 + 16 * 192;

// Position 0..31 of a Q4_0 or Q5_0 block's nibbles (the low four bits of its value).
uint8_t nibble(const uint8_t q[16], int position)
{
    return position < 16 ? q[position] & 0x0F : q[position - 16] >> 4;
}

// 32 values 0..15 (positions 0..31 of a block or sub-block) as Q4_0's chunks: chunk j of
// `chunks`, row r at bytes 4r..4r+3, positions 8j..8j+3 low and 8j+4..8j+7 high.
template <typename Value>
void storeNibbleChunks(uint8_t* chunks, int r, int count, Value value)
{
    for (int j = 0; j < count / 8; ++j)
        for (int i = 0; i < 4; ++i)
            chunks[64 * j + 4 * r + i] = uint8_t(value(8 * j + i) | (value(8 * j + 4 + i) << 4));
}

void interleaveQ4_0(const quant::BlockQ4_0& block, int r, uint8_t* dst)
{
    reinterpret_cast<uint16_t*>(dst)[r] = block.d;
    storeNibbleChunks(dst + 32, r, 32, [&](int position) { return nibble(block.q, position); });
}

void interleaveQ5_0(const quant::BlockQ5_0& block, int r, uint8_t* dst)
{
    reinterpret_cast<uint16_t*>(dst)[r] = block.d;
    storeNibbleChunks(dst + 32, r, 32, [&](int position) { return nibble(block.q, position); });
    uint32_t fifth;
    std::memcpy(&fifth, block.qh, 4); // bit i: position i's
    for (int i = 0; i < 4; ++i) {
        uint8_t byte = 0;
        for (int k = 0; k < 8; ++k)
            byte = uint8_t(byte | ((fifth >> (4 * k + i)) & 1) << k);
        dst[288 + 4 * r + i] = byte;
    }
}

void interleaveQ8_0(const quant::BlockQ8_0& block, int r, uint8_t* dst)
{
    reinterpret_cast<uint16_t*>(dst)[r] = block.d;
    for (int k = 0; k < 8; ++k)
        for (int i = 0; i < 4; ++i)
            dst[32 + 64 * k + 4 * r + i] = uint8_t(block.q[4 * k + i] ^ 0x80); // q + 128
}

// Sixteen 6-bit values of row r (eight scales or eight minimums) as interleave.h's Q4_K lays them
// out: low four bits in nibbles from `low`, high two bits from `high`.
void storeSixBits(uint8_t* low, uint8_t* high, int r, const uint8_t values[8])
{
    for (int j = 0; j < 4; ++j)
        low[16 * j + r] = uint8_t((values[j] & 0x0F) | (values[j + 4] & 0x0F) << 4);
    for (int i = 0; i < 2; ++i) {
        uint8_t byte = 0;
        for (int m = 0; m < 4; ++m)
            byte = uint8_t(byte | (values[4 * i + m] >> 4) << (2 * m));
        high[16 * i + r] = byte;
    }
}

void interleaveQ4_K(const quant::BlockQ4_K& block, int r, uint8_t* dst)
{
    reinterpret_cast<uint16_t*>(dst)[r] = block.d;
    reinterpret_cast<uint16_t*>(dst + 32)[r] = block.dmin;
    uint8_t scales[8], minimums[8];
    for (int s = 0; s < 8; ++s) {
        quant::kQuantScaleMin(block.scales, s, scales[s], minimums[s]);
        const uint8_t* packed = block.qs + 32 * (s / 2); // sub-block 2k low nibbles, 2k + 1 high
        storeNibbleChunks(dst + 256 + 256 * s, r, 32, [&](int l) { return s % 2 == 0 ? packed[l] & 0x0F : packed[l] >> 4; });
    }
    storeSixBits(dst + 64, dst + 128, r, scales);
    storeSixBits(dst + 160, dst + 224, r, minimums);
}

void interleaveQ6_K(const quant::BlockQ6_K& block, int r, uint8_t* dst)
{
    reinterpret_cast<uint16_t*>(dst)[r] = block.d;
    // Position v of the super-block (as the portable kernel reads it): four low bits, two high.
    const auto low = [&](int v) {
        const int half = v / 128, k = v % 128 / 32, l = v % 32;
        const uint8_t byte = block.ql[half * 64 + (k % 2) * 32 + l];
        return k < 2 ? byte & 0x0F : byte >> 4;
    };
    const auto high = [&](int v) {
        const int half = v / 128, k = v % 128 / 32, l = v % 32;
        return (block.qh[half * 32 + l] >> (2 * k)) & 3;
    };
    for (int s = 0; s < 16; ++s) {
        dst[32 + 16 * s + r] = uint8_t(block.scales[s]);
        uint8_t* sub = dst + 288 + 192 * s;
        storeNibbleChunks(sub, r, 16, [&](int i) { return low(16 * s + i); });
        for (int i = 0; i < 4; ++i)
            sub[128 + 4 * r + i] = uint8_t(high(16 * s + i) | high(16 * s + 4 + i) << 2 | high(16 * s + 8 + i) << 4 |
                                           high(16 * s + 12 + i) << 6);
    }
}

// The inverses, row r of a group's block back to the stored block.

// Position 0..count-1 of row r in chunks laid out by storeNibbleChunks.
uint8_t nibbleChunkValue(const uint8_t* chunks, int r, int position)
{
    const uint8_t byte = chunks[64 * (position / 8) + 4 * r + position % 4];
    return position % 8 < 4 ? byte & 0x0F : byte >> 4;
}

// Q4_0's and Q5_0's nibbles: positions 0..15 low, 16..31 high.
void storeBlockNibbles(uint8_t q[16], const uint8_t* chunks, int r)
{
    for (int i = 0; i < 16; ++i)
        q[i] = uint8_t(nibbleChunkValue(chunks, r, i) | nibbleChunkValue(chunks, r, i + 16) << 4);
}

void restoreQ4_0(const uint8_t* src, int r, quant::BlockQ4_0& block)
{
    block.d = reinterpret_cast<const uint16_t*>(src)[r];
    storeBlockNibbles(block.q, src + 32, r);
}

void restoreQ5_0(const uint8_t* src, int r, quant::BlockQ5_0& block)
{
    block.d = reinterpret_cast<const uint16_t*>(src)[r];
    storeBlockNibbles(block.q, src + 32, r);
    uint32_t fifth = 0;
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 8; ++k)
            fifth |= uint32_t((src[288 + 4 * r + i] >> k) & 1) << (4 * k + i);
    std::memcpy(block.qh, &fifth, 4);
}

void restoreQ8_0(const uint8_t* src, int r, quant::BlockQ8_0& block)
{
    block.d = reinterpret_cast<const uint16_t*>(src)[r];
    for (int k = 0; k < 8; ++k)
        for (int i = 0; i < 4; ++i)
            block.q[4 * k + i] = int8_t(src[32 + 64 * k + 4 * r + i] ^ 0x80);
}

// Row r's eight 6-bit values stored by storeSixBits.
void sixBitValues(const uint8_t* low, const uint8_t* high, int r, uint8_t values[8])
{
    for (int j = 0; j < 8; ++j)
        values[j] = uint8_t(((low[16 * (j % 4) + r] >> (j < 4 ? 0 : 4)) & 0x0F) |
                            ((high[16 * (j / 4) + r] >> (2 * (j % 4))) & 3) << 4);
}

void restoreQ4_K(const uint8_t* src, int r, quant::BlockQ4_K& block)
{
    block.d = reinterpret_cast<const uint16_t*>(src)[r];
    block.dmin = reinterpret_cast<const uint16_t*>(src + 32)[r];
    uint8_t scales[8], minimums[8];
    sixBitValues(src + 64, src + 128, r, scales);
    sixBitValues(src + 160, src + 224, r, minimums);
    std::memset(block.scales, 0, sizeof block.scales);
    std::memset(block.qs, 0, sizeof block.qs);
    for (int s = 0; s < 8; ++s) {
        quant::setKQuantScaleMin(block.scales, s, scales[s], minimums[s]);
        uint8_t* packed = block.qs + 32 * (s / 2);
        for (int l = 0; l < 32; ++l)
            packed[l] |= uint8_t(nibbleChunkValue(src + 256 + 256 * s, r, l) << (s % 2 == 0 ? 0 : 4));
    }
}

void restoreQ6_K(const uint8_t* src, int r, quant::BlockQ6_K& block)
{
    block.d = reinterpret_cast<const uint16_t*>(src)[r];
    std::memset(block.ql, 0, sizeof block.ql);
    std::memset(block.qh, 0, sizeof block.qh);
    for (int s = 0; s < 16; ++s) {
        block.scales[s] = int8_t(src[32 + 16 * s + r]);
        const uint8_t* sub = src + 288 + 192 * s;
        for (int i = 0; i < 16; ++i) {
            // Position v's four low bits and two high ones, where interleaveQ6_K read them.
            const int v = 16 * s + i, half = v / 128, k = v % 128 / 32, l = v % 32;
            const uint8_t high = (sub[128 + 4 * r + i % 4] >> (2 * (i / 4))) & 3;
            block.ql[half * 64 + (k % 2) * 32 + l] |= uint8_t(nibbleChunkValue(sub, r, i) << (k < 2 ? 0 : 4));
            block.qh[half * 32 + l] |= uint8_t(high << (2 * k));
        }
    }
}

} // namespace

bool canInterleave(TensorType type, int64_t cols, int64_t rows)
{
    const bool superBlocks = type == TensorType::Q4_K || type == TensorType::Q6_K;
    const bool blocks = type == TensorType::Q4_0 || type == TensorType::Q5_0 || type == TensorType::Q8_0;
    return (superBlocks || blocks) && rows % kInterleavedRows == 0 &&
           cols % (superBlocks ? 256 : 32) == 0 && rows > 0;
}

size_t interleavedGroupBlockBytes(TensorType type)
{
    switch (type) {
    case TensorType::Q4_0: return kQ4GroupBlockBytes;
    case TensorType::Q5_0: return kQ5GroupBlockBytes;
    case TensorType::Q8_0: return kQ8GroupBlockBytes;
    case TensorType::Q4_K: return kQ4KGroupBlockBytes;
    case TensorType::Q6_K: return kQ6KGroupBlockBytes;
    default: return 0;
    }
}

size_t interleavedBytes(TensorType type, int64_t cols, int64_t rows)
{
    return size_t(rows / kInterleavedRows) * size_t(cols) / gguf::tensorTypeTraits(type).blockValues *
           interleavedGroupBlockBytes(type);
}

void interleave(TensorType type, const uint8_t* rows, int64_t cols, int64_t firstGroup, int64_t endGroup, uint8_t* out)
{
    const auto blocks = size_t(cols) / gguf::tensorTypeTraits(type).blockValues;
    const size_t rowBytes = blocks * gguf::tensorTypeTraits(type).blockBytes;
    const size_t groupBlockBytes = interleavedGroupBlockBytes(type);
    for (int64_t group = firstGroup; group < endGroup; ++group) {
        for (size_t b = 0; b < blocks; ++b) {
            uint8_t* dst = out + (size_t(group) * blocks + b) * groupBlockBytes;
            for (int r = 0; r < kInterleavedRows; ++r) {
                const uint8_t* block = rows + size_t(group * kInterleavedRows + r) * rowBytes +
                                       b * gguf::tensorTypeTraits(type).blockBytes;
                switch (type) {
                case TensorType::Q4_0: interleaveQ4_0(*reinterpret_cast<const quant::BlockQ4_0*>(block), r, dst); break;
                case TensorType::Q5_0: interleaveQ5_0(*reinterpret_cast<const quant::BlockQ5_0*>(block), r, dst); break;
                case TensorType::Q8_0: interleaveQ8_0(*reinterpret_cast<const quant::BlockQ8_0*>(block), r, dst); break;
                case TensorType::Q4_K: interleaveQ4_K(*reinterpret_cast<const quant::BlockQ4_K*>(block), r, dst); break;
                case TensorType::Q6_K: interleaveQ6_K(*reinterpret_cast<const quant::BlockQ6_K*>(block), r, dst); break;
                default: break;
                }
            }
        }
    }
}

void deinterleaveRow(TensorType type, const uint8_t* groups, int64_t cols, int64_t row, uint8_t* out)
{
    const auto blocks = size_t(cols) / gguf::tensorTypeTraits(type).blockValues;
    const size_t groupBlockBytes = interleavedGroupBlockBytes(type), blockBytes = gguf::tensorTypeTraits(type).blockBytes;
    const auto r = int(row % kInterleavedRows);
    const uint8_t* group = groups + size_t(row / kInterleavedRows) * blocks * groupBlockBytes;
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* src = group + b * groupBlockBytes;
        uint8_t* block = out + b * blockBytes;
        switch (type) {
        case TensorType::Q4_0: restoreQ4_0(src, r, *reinterpret_cast<quant::BlockQ4_0*>(block)); break;
        case TensorType::Q5_0: restoreQ5_0(src, r, *reinterpret_cast<quant::BlockQ5_0*>(block)); break;
        case TensorType::Q8_0: restoreQ8_0(src, r, *reinterpret_cast<quant::BlockQ8_0*>(block)); break;
        case TensorType::Q4_K: restoreQ4_K(src, r, *reinterpret_cast<quant::BlockQ4_K*>(block)); break;
        case TensorType::Q6_K: restoreQ6_K(src, r, *reinterpret_cast<quant::BlockQ6_K*>(block)); break;
        default: break;
        }
    }
}

} // namespace latent::cpu
