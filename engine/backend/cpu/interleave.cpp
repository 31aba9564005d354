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

} // namespace latent::cpu
