#pragma once

#include <cstdint>

namespace latent::quant {

// GGUF's block layouts (little-endian, packed as ggml writes them; ../shared/docs/deepseek-models.md
// and llama.cpp's ggml-common.h). Scales d, m, dmin are fp16 unless noted. K-quants pack 256
// values in a super-block of 8 or 16 sub-blocks, each with its own scale (and minimum).

inline constexpr int kBlockQ8_0 = 32;
inline constexpr int kBlockQ4_0 = 32;
inline constexpr int kBlockLegacy = 32; // Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL
inline constexpr int kSuperBlock = 256; // K-quants, IQ4_XS

// Q8_0: 32 values q * d, q in [-127, 127].
struct BlockQ8_0 {
    uint16_t d; // fp16 scale
    int8_t q[kBlockQ8_0];
};
static_assert(sizeof(BlockQ8_0) == 34);

// Q4_0: 32 values (q - 8) * d, q in [0, 15]; byte j holds value j (low nibble) and j + 16 (high).
struct BlockQ4_0 {
    uint16_t d; // fp16 scale
    uint8_t q[kBlockQ4_0 / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

// Q4_1: 32 values q * d + m, nibbles as Q4_0.
struct BlockQ4_1 {
    uint16_t d, m;
    uint8_t q[16];
};
static_assert(sizeof(BlockQ4_1) == 20);

// Q5_0: 32 values (q - 16) * d, q in [0, 31]: the low 4 bits as Q4_0's nibbles, bit 4 of value j
// in bit j of qh (a little-endian u32).
struct BlockQ5_0 {
    uint16_t d;
    uint8_t qh[4];
    uint8_t q[16];
};
static_assert(sizeof(BlockQ5_0) == 22);

// Q5_1: 32 values q * d + m, bits as Q5_0.
struct BlockQ5_1 {
    uint16_t d, m;
    uint8_t qh[4];
    uint8_t q[16];
};
static_assert(sizeof(BlockQ5_1) == 24);

// IQ4_NL: 32 values d * kIq4Values[q], nibbles as Q4_0.
struct BlockIq4Nl {
    uint16_t d;
    uint8_t q[16];
};
static_assert(sizeof(BlockIq4Nl) == 18);

// The non-linear 4-bit grid of IQ4_NL and IQ4_XS.
inline constexpr int8_t kIq4Values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

// Q2_K: 16 sub-blocks of 16. scales[i]: low nibble the scale, high nibble the minimum of
// sub-block i (value = d * scale * q - dmin * min, q in [0, 3]). qs: 2 bits a value; for each
// half of 128 values, byte l (0..31) holds values l, l + 32, l + 64, l + 96 in bit pairs 0, 2, 4, 6.
struct BlockQ2_K {
    uint8_t scales[16];
    uint8_t qs[64];
    uint16_t d, dmin;
};
static_assert(sizeof(BlockQ2_K) == 84);

// Q3_K: 16 sub-blocks of 16, value = d * (scale - 32) * (q - 4 * !high bit), q's low 2 bits as
// Q2_K's, its third bit in hmask (value l + 32 k: bit k of hmask[l]); twelve bytes hold sixteen
// 6-bit scales.
struct BlockQ3_K {
    uint8_t hmask[32];
    uint8_t qs[64];
    uint8_t scales[12];
    uint16_t d;
};
static_assert(sizeof(BlockQ3_K) == 110);

// Q4_K: 8 sub-blocks of 32, value = d * scale * q - dmin * min, q in [0, 15]; the 6-bit scales
// and minimums packed in 12 bytes; each 32 bytes of qs hold 64 values (low nibbles first).
struct BlockQ4_K {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qs[128];
};
static_assert(sizeof(BlockQ4_K) == 144);

// Q5_K: as Q4_K with a fifth bit a value in qh (value l + 32 k: bit k of qh[l]).
struct BlockQ5_K {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qh[32];
    uint8_t qs[128];
};
static_assert(sizeof(BlockQ5_K) == 176);

// Q6_K: 16 sub-blocks of 16, value = d * scale * (q - 32), q in [0, 63]: 4 low bits in ql, 2
// high bits in qh, int8 scales.
struct BlockQ6_K {
    uint8_t ql[128];
    uint8_t qh[64];
    int8_t scales[16];
    uint16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210);

// IQ4_XS: 8 sub-blocks of 32, value = d * (scale - 32) * kIq4Values[q]; 6-bit scales: low 4 bits
// in scalesLow (two a byte), high 2 bits in scalesHigh; each 16 bytes of qs hold a sub-block as
// Q4_0's nibbles.
struct BlockIq4Xs {
    uint16_t d;
    uint16_t scalesHigh;
    uint8_t scalesLow[4];
    uint8_t qs[128];
};
static_assert(sizeof(BlockIq4Xs) == 136);

// The 6-bit scale and minimum of sub-block j (0..7) of a Q4_K or Q5_K block.
inline void kQuantScaleMin(const uint8_t* scales, int j, uint8_t& scale, uint8_t& min)
{
    if (j < 4) {
        scale = scales[j] & 63;
        min = scales[j + 4] & 63;
    } else {
        scale = uint8_t((scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4));
        min = uint8_t((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4));
    }
}

// Stores what kQuantScaleMin reads, into scales that start zeroed.
inline void setKQuantScaleMin(uint8_t* scales, int j, uint8_t scale, uint8_t min)
{
    if (j < 4) {
        scales[j] |= scale;
        scales[j + 4] |= min;
    } else {
        scales[j + 4] |= uint8_t((scale & 0xF) | ((min & 0xF) << 4));
        scales[j - 4] |= uint8_t((scale >> 4) << 6);
        scales[j] |= uint8_t((min >> 4) << 6);
    }
}

// The signed scale (the stored 6 bits less 32) of sub-block j (0..15) of a Q3_K block: low 4 bits
// in the nibbles of bytes 0..7 (sub-blocks 0..7 low, 8..15 high), high 2 bits in bytes 8..11.
inline int q3KScale(const uint8_t* scales, int j)
{
    const int low = j < 8 ? scales[j] & 0xF : scales[j - 8] >> 4;
    const int high = (scales[8 + j % 4] >> (2 * (j / 4))) & 3;
    return (low | (high << 4)) - 32;
}

// Stores what q3KScale reads (scale in [-32, 31]), into scales that start zeroed.
inline void setQ3KScale(uint8_t* scales, int j, int scale)
{
    const int stored = scale + 32;
    scales[j % 8] |= uint8_t((stored & 0xF) << (j < 8 ? 0 : 4));
    scales[8 + j % 4] |= uint8_t((stored >> 4) << (2 * (j / 4)));
}

// The signed scale (the stored 6 bits less 32) of sub-block j (0..7) of an IQ4_XS block.
inline int iq4XsScale(const BlockIq4Xs& block, int j)
{
    const int low = (block.scalesLow[j / 2] >> (4 * (j % 2))) & 0xF;
    const int high = (block.scalesHigh >> (2 * j)) & 3;
    return (low | (high << 4)) - 32;
}

// Stores what iq4XsScale reads (scale in [-32, 31]), into a block whose scales start zeroed.
inline void setIq4XsScale(BlockIq4Xs& block, int j, int scale)
{
    const int stored = scale + 32;
    block.scalesLow[j / 2] |= uint8_t((stored & 0xF) << (4 * (j % 2)));
    block.scalesHigh |= uint16_t((stored >> 4) << (2 * j));
}

} // namespace latent::quant
