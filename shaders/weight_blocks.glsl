// GGUF's weight types decoded in registers (layouts: engine/quant/blocks.h). A quantized block
// holds BLOCK values (32, or 256 for K-quants and IQ4_XS) in sub-blocks of SUB values (32, or 16
// for Q2_K, Q3_K, Q6_K); value v of a block is
//     d * subScale * level - dmin * subMin    (K-quants, IQ4_XS; legacy types: subScale 1, subMin 0)
//     d * level + m                           (Q4_1, Q5_1)
// with integer levels, scales and minimums, so that a product with Q8-quantized activations sums
// integers inside each (sub-)block, as the CPU backend does. The type is always a specialization
// constant, so every branch on it folds away when the pipeline is made.

#include "packed_values.glsl"

// GGUF's type ids.
const uint TYPE_F32 = 0;
const uint TYPE_F16 = 1;
const uint TYPE_Q4_0 = 2;
const uint TYPE_Q4_1 = 3;
const uint TYPE_Q5_0 = 6;
const uint TYPE_Q5_1 = 7;
const uint TYPE_Q8_0 = 8;
const uint TYPE_Q2_K = 10;
const uint TYPE_Q3_K = 11;
const uint TYPE_Q4_K = 12;
const uint TYPE_Q5_K = 13;
const uint TYPE_Q6_K = 14;
const uint TYPE_IQ4_NL = 20;
const uint TYPE_IQ4_XS = 23;
const uint TYPE_BF16 = 30;

// The non-linear grid of IQ4_NL and IQ4_XS.
const int IQ4_VALUES[16] = int[16](-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113);

bool isFloatType(uint type)
{
    return type == TYPE_F32 || type == TYPE_F16 || type == TYPE_BF16;
}

bool isSuperBlockType(uint type)
{
    return type == TYPE_Q2_K || type == TYPE_Q3_K || type == TYPE_Q4_K || type == TYPE_Q5_K || type == TYPE_Q6_K ||
           type == TYPE_IQ4_XS;
}

// Q4_1 and Q5_1 add a float minimum m to every value of a block.
bool hasBlockMinimum(uint type)
{
    return type == TYPE_Q4_1 || type == TYPE_Q5_1;
}

// Q2_K, Q4_K and Q5_K subtract dmin times an integer minimum per sub-block.
bool hasSubMinimum(uint type)
{
    return type == TYPE_Q2_K || type == TYPE_Q4_K || type == TYPE_Q5_K;
}

uint blockValuesOf(uint type)
{
    return isFloatType(type) ? 1u : isSuperBlockType(type) ? 256u : 32u;
}

uint subBlockValuesOf(uint type)
{
    return type == TYPE_Q2_K || type == TYPE_Q3_K || type == TYPE_Q6_K ? 16u : 32u;
}

uint blockBytesOf(uint type)
{
    switch (type) {
    case TYPE_F32: return 4u;
    case TYPE_F16: case TYPE_BF16: return 2u;
    case TYPE_Q4_0: case TYPE_IQ4_NL: return 18u;
    case TYPE_Q4_1: return 20u;
    case TYPE_Q5_0: return 22u;
    case TYPE_Q5_1: return 24u;
    case TYPE_Q8_0: return 34u;
    case TYPE_Q2_K: return 84u;
    case TYPE_Q3_K: return 110u;
    case TYPE_Q4_K: return 144u;
    case TYPE_Q5_K: return 176u;
    case TYPE_Q6_K: return 210u;
    default: return 136u; // IQ4_XS
    }
}

// Bytes of a row of `cols` values of a type.
uint rowBytesOf(uint type, uint cols)
{
    return cols / blockValuesOf(type) * blockBytesOf(type);
}

// 4 bytes' values as integers, the first byte's first: unsigned, or signed (two's complement).
ivec4 bytesOf(uint w)
{
    return ivec4(w & 0xFFu, (w >> 8) & 0xFFu, (w >> 16) & 0xFFu, w >> 24);
}

ivec4 signedBytesOf(uint w)
{
    return ivec4(bitfieldExtract(int(w), 0, 8), bitfieldExtract(int(w), 8, 8), bitfieldExtract(int(w), 16, 8),
                 bitfieldExtract(int(w), 24, 8));
}

// Values v..v+3 (v a multiple of 4, within 0..31) of a 32-value run of nibbles at byte q, a value
// to a byte: byte j of the run holds values j (low nibble) and j + 16.
uint nibbles4At(uint q, uint v)
{
    return (wordAt(q + v % 16u) >> (v < 16u ? 0u : 4u)) & 0x0F0F0F0Fu;
}

// Bits v..v+3 of the 32-bit field at byte bits, bit i moved to bit `to` of byte i.
uint bits4At(uint bits, uint v, uint to)
{
    const uint h = wordAt(bits) >> v;
    return ((h & 1u) | ((h & 2u) << 7) | ((h & 4u) << 14) | ((h & 8u) << 21)) << to;
}

ivec4 iq4Levels(uint nibbles)
{
    const ivec4 n = bytesOf(nibbles);
    return ivec4(IQ4_VALUES[n.x], IQ4_VALUES[n.y], IQ4_VALUES[n.z], IQ4_VALUES[n.w]);
}

// The integer levels of values v..v+3 (v a multiple of 4, within 0..BLOCK-1) of the block at byte
// `block`. Every layout keeps 4 consecutive values' bits at the same place in 4 consecutive bytes,
// so one word (two for an odd half-word start) brings all 4.
ivec4 levels4At(uint type, uint block, uint v)
{
    const uint l = v % 32u, k = v / 32u; // position in, and index of, a run of 32
    switch (type) {
    case TYPE_Q8_0: return signedBytesOf(wordAt(block + 2u + v));
    case TYPE_Q4_0: return bytesOf(nibbles4At(block + 2u, v)) - 8;
    case TYPE_Q4_1: return bytesOf(nibbles4At(block + 4u, v));
    case TYPE_Q5_0: return bytesOf(nibbles4At(block + 6u, v) | bits4At(block + 2u, v, 4u)) - 16;
    case TYPE_Q5_1: return bytesOf(nibbles4At(block + 8u, v) | bits4At(block + 4u, v, 4u));
    case TYPE_IQ4_NL: return iq4Levels(nibbles4At(block + 2u, v));
    case TYPE_Q2_K: // qs at 16: for each half of 128, byte l holds runs 0..3 in bit pairs
        return bytesOf((wordAt(block + 16u + v / 128u * 32u + l) >> (2u * (k % 4u))) & 0x03030303u);
    case TYPE_Q3_K: { // hmask at 0 (bit k of byte l), qs at 32 as Q2_K's; a clear high bit subtracts 4
        const uint low = (wordAt(block + 32u + v / 128u * 32u + l) >> (2u * (k % 4u))) & 0x03030303u;
        return bytesOf(low | (((wordAt(block + l) >> k) & 0x01010101u) << 2)) - 4;
    }
    case TYPE_Q4_K: // qs at 16: each 32 bytes hold runs 2i (low nibbles) and 2i + 1
        return bytesOf((wordAt(block + 16u + k / 2u * 32u + l) >> (4u * (k % 2u))) & 0x0F0F0F0Fu);
    case TYPE_Q5_K: { // qh at 16 (bit k of byte l), qs at 48 as Q4_K's
        const uint low = (wordAt(block + 48u + k / 2u * 32u + l) >> (4u * (k % 2u))) & 0x0F0F0F0Fu;
        return bytesOf(low | (((wordAt(block + 16u + l) >> k) & 0x01010101u) << 4));
    }
    case TYPE_Q6_K: { // ql at 0, qh at 128, per half of 128 values
        const uint half128 = v / 128u, run = k % 4u;
        const uint low = (wordAt(block + half128 * 64u + run % 2u * 32u + l) >> (4u * (run / 2u))) & 0x0F0F0F0Fu;
        const uint high = (wordAt(block + 128u + half128 * 32u + l) >> (2u * run)) & 0x03030303u;
        return bytesOf(low | (high << 4)) - 32;
    }
    default: // IQ4_XS: qs at 8, each 16 bytes a run of 32 as Q4_0's nibbles
        return iq4Levels(nibbles4At(block + 8u + k * 16u, l));
    }
}

// The integer level of value v (0..BLOCK-1) of the block at byte `block`.
int levelAt(uint type, uint block, uint v)
{
    return levels4At(type, block, v & ~3u)[v & 3u];
}

// The integer scale of sub-block j (1 for the 32-value types).
int subScaleAt(uint type, uint block, uint j)
{
    switch (type) {
    case TYPE_Q2_K: return int(byteAt(block + j) & 15u);
    case TYPE_Q3_K: { // scales at 96: low 4 bits in nibbles of bytes 0..7, high 2 bits in bytes 8..11
        const uint low = j < 8u ? byteAt(block + 96u + j) & 15u : byteAt(block + 88u + j) >> 4;
        const uint high = (byteAt(block + 104u + j % 4u) >> (2u * (j / 4u))) & 3u;
        return int(low | (high << 4)) - 32;
    }
    case TYPE_Q4_K: case TYPE_Q5_K: // 6-bit scales and minimums packed in 12 bytes at 4
        return int(j < 4u ? byteAt(block + 4u + j) & 63u
                          : (byteAt(block + 8u + j) & 15u) | ((byteAt(block + j) >> 6) << 4));
    case TYPE_Q6_K: return signedByteAt(block + 192u + j);
    case TYPE_IQ4_XS: // low 4 bits two a byte at 4, high 2 bits in the 16 bits at 2
        return int(((byteAt(block + 4u + j / 2u) >> (4u * (j % 2u))) & 15u) | (((shortAt(block + 2u) >> (2u * j)) & 3u) << 4)) - 32;
    default: return 1;
    }
}

// The integer minimum of sub-block j (0 for the types without one).
int subMinimumAt(uint type, uint block, uint j)
{
    switch (type) {
    case TYPE_Q2_K: return int(byteAt(block + j) >> 4);
    case TYPE_Q4_K: case TYPE_Q5_K:
        return int(j < 4u ? byteAt(block + 8u + j) & 63u
                          : (byteAt(block + 8u + j) >> 4) | ((byteAt(block + 4u + j) >> 6) << 4));
    default: return 0;
    }
}

// The block's F16 scale d.
float blockScaleAt(uint type, uint block)
{
    switch (type) {
    case TYPE_Q2_K: return halfAt(block + 80u);
    case TYPE_Q3_K: return halfAt(block + 108u);
    case TYPE_Q6_K: return halfAt(block + 208u);
    default: return halfAt(block);
    }
}

// The block's F16 minimum: dmin (subtracted, times subMin) or m (Q4_1, Q5_1: added).
float blockMinimumAt(uint type, uint block)
{
    switch (type) {
    case TYPE_Q2_K: return halfAt(block + 82u);
    case TYPE_Q4_1: case TYPE_Q5_1: case TYPE_Q4_K: case TYPE_Q5_K: return halfAt(block + 2u);
    default: return 0.0;
    }
}

// Value i of the row starting at byte rowStart, dequantized as the CPU's dequantize rounds it.
float valueAt(uint type, uint rowStart, uint i)
{
    if (type == TYPE_F32)
        return floatAt(rowStart + i * 4u);
    if (type == TYPE_F16)
        return halfAt(rowStart + i * 2u);
    if (type == TYPE_BF16)
        return bf16At(rowStart + i * 2u);
    const uint block = rowStart + i / blockValuesOf(type) * blockBytesOf(type), v = i % blockValuesOf(type);
    const float level = float(levelAt(type, block, v));
    // precise: no fused multiply-add, whose single rounding would differ from the CPU's two
    precise float value;
    if (hasBlockMinimum(type)) {
        value = blockScaleAt(type, block) * level + blockMinimumAt(type, block);
    } else {
        const uint j = v / subBlockValuesOf(type);
        const float scale = blockScaleAt(type, block) * float(subScaleAt(type, block, j));
        value = scale * level - blockMinimumAt(type, block) * float(subMinimumAt(type, block, j));
    }
    return value;
}
