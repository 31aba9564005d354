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

// Value v (0..31) of a 32-value run of nibbles at byte q: byte j holds values j (low) and j + 16.
uint nibbleAt(uint q, uint v)
{
    const uint packed = byteAt(q + v % 16u);
    return v < 16u ? packed & 15u : packed >> 4;
}

// Bit v of the little-endian bit field at byte bits.
uint bitAt(uint bits, uint v)
{
    return (byteAt(bits + v / 8u) >> (v % 8u)) & 1u;
}

// The integer level of value v (0..BLOCK-1) of the block at byte `block`.
int levelAt(uint type, uint block, uint v)
{
    const uint l = v % 32u, k = v / 32u; // position in, and index of, a run of 32
    switch (type) {
    case TYPE_Q8_0: return signedByteAt(block + 2u + v);
    case TYPE_Q4_0: return int(nibbleAt(block + 2u, v)) - 8;
    case TYPE_Q4_1: return int(nibbleAt(block + 4u, v));
    case TYPE_Q5_0: return int(nibbleAt(block + 6u, v) | (bitAt(block + 2u, v) << 4)) - 16;
    case TYPE_Q5_1: return int(nibbleAt(block + 8u, v) | (bitAt(block + 4u, v) << 4));
    case TYPE_IQ4_NL: return IQ4_VALUES[nibbleAt(block + 2u, v)];
    case TYPE_Q2_K: // qs at 16: for each half of 128, byte l holds runs 0..3 in bit pairs
        return int((byteAt(block + 16u + v / 128u * 32u + l) >> (2u * (k % 4u))) & 3u);
    case TYPE_Q3_K: { // hmask at 0, qs at 32 as Q2_K's; a clear high bit subtracts 4
        const uint low = (byteAt(block + 32u + v / 128u * 32u + l) >> (2u * (k % 4u))) & 3u;
        return int(low) - (((byteAt(block + l) >> k) & 1u) != 0u ? 0 : 4);
    }
    case TYPE_Q4_K: // qs at 16: each 32 bytes hold runs 2i (low nibbles) and 2i + 1
        return int((byteAt(block + 16u + k / 2u * 32u + l) >> (4u * (k % 2u))) & 15u);
    case TYPE_Q5_K: // qh at 16 (bit k of byte l), qs at 48 as Q4_K's
        return int(((byteAt(block + 48u + k / 2u * 32u + l) >> (4u * (k % 2u))) & 15u) | (bitAt(block + 16u + l, k) << 4));
    case TYPE_Q6_K: { // ql at 0, qh at 128, per half of 128 values
        const uint half128 = v / 128u, run = k % 4u;
        const uint low = (byteAt(block + half128 * 64u + run % 2u * 32u + l) >> (4u * (run / 2u))) & 15u;
        const uint high = (byteAt(block + 128u + half128 * 32u + l) >> (2u * run)) & 3u;
        return int(low | (high << 4)) - 32;
    }
    default: // IQ4_XS: qs at 8, each 16 bytes a run of 32 as Q4_0's nibbles
        return IQ4_VALUES[nibbleAt(block + 8u + k * 16u, l)];
    }
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
