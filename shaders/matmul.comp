#version 450
#extension GL_GOOGLE_include_directive : require

// out[t][firstRow + r] = sum_i weight[r][i] * x[t][i] for the weight rows of one buffer part.
// A workgroup computes ROWS weight rows by TOKENS tokens, each row's LANES invocations splitting
// its blocks (its columns for float weights); one token (TOKENS = 1) is the matrix-vector product
// of generation, larger tiles reuse each decoded weight word across a batch's tokens. Quantized
// weights are decoded in registers, 4 values a word (weight_blocks.glsl), against x quantized once
// per product (quantize_activations.comp) as the CPU backend and llama.cpp quantize it for the
// type: to Q8_0 per 32 values for the 32-value types, to Q8_K per 256 values for K-quants and
// IQ4_XS; so each block's product is an integer sum, scaled once per block as the CPU scales it.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint WEIGHT_TYPE = 0; // a GGUF type id (weight_blocks.glsl)
layout(constant_id = 2) const uint ROWS = 4;        // WORKGROUP_SIZE / ROWS: a power of two, at most 32
layout(constant_id = 3) const uint TOKENS = 1;

layout(std430, binding = 0) restrict readonly buffer Weight { uint words[]; }; // (rows, cols) in WEIGHT_TYPE
// x: F32 values, (tokens, xStride), for float weight types; for the others its quantized form
// (quantized_activations.glsl, Q8_0 or Q8_K as the type wants), (tokens, cols).
layout(std430, binding = 1) restrict readonly buffer X { uint xWords[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; }; // (tokens, yStride)

struct Shape {
    uint cols, rows, tokens;
    uint weightOffset; // bytes into the weight buffer where row 0 of this part starts
    uint xOffset;      // words into X where x, or its quantized form, starts
    uint xBlocks;      // blocks of the quantized form, which place its scales and sums
    uint yOffset;      // floats into y
    uint yStride;      // floats per output row (all the weight's rows)
    uint firstRow;     // the output column of this part's row 0
};

#include "weight_blocks.glsl"
#include "block_term.glsl"
#include "quantized_activations.glsl"

#ifdef EXPERTS
// The experts variant (matmul_experts): the weight is a stack of matrices of expertRows rows each
// (a layer's experts, or MLA's per-head matrices), and output row p (a "pair": a token and one of
// its experts) is the product of matrix ids[p] with x row p / pairsPerXRow. The ids stay on the
// device, where route() wrote them. TOKENS is 1; the dispatch's y is the pair.
layout(std430, binding = 3) readonly buffer Ids { int ids[]; }; // (pairs)
layout(push_constant) uniform Push {
    Shape base;        // tokens: the pairs; firstRow: the stacked row this part starts with
    uint idsOffset;    // ints into ids
    uint expertRows;   // rows per matrix of the stack
    uint pairsPerXRow; // consecutive pairs that share an x row (a token's experts)
    uint xStride;      // floats from one F32 x row to the next
} push;

// The plain product's shape for this workgroup's pair: its matrix's rows that lie in this part.
Shape pairShape()
{
    Shape s = push.base;
    const uint pair = gl_WorkGroupID.y;
    const int first = ids[push.idsOffset + pair] * int(push.expertRows) - int(s.firstRow); // as a part row
    const int begin = max(first, 0), end = min(first + int(push.expertRows), int(s.rows));
    s.weightOffset += uint(begin) * rowBytesOf(WEIGHT_TYPE, s.cols);
    s.rows = uint(max(end - begin, 0));
    s.firstRow = uint(begin - first);
    return s;
}

uint xRowOf(uint pair) { return pair / push.pairsPerXRow; }
uint xStrideOf() { return push.xStride; }
#else
layout(push_constant) uniform Push { Shape base; } push;

Shape pairShape() { return push.base; }
uint xRowOf(uint token) { return token; }
uint xStrideOf() { return push.base.cols; }
#endif
Shape shape;

const uint LANES = WORKGROUP_SIZE / ROWS; // invocations per weight row
shared float partial[WORKGROUP_SIZE * TOKENS]; // each invocation's sums, per token

// Token t of the tile at t0; a tile's tokens past the last compute the last one's sums again (not
// written), so the loops over a tile's tokens have a constant count that compilers unroll, keeping
// the per-token sums in registers.
uint tokenOf(uint t0, uint t)
{
    return min(t0 + t, shape.tokens - 1u);
}

int dot4(ivec4 a, ivec4 b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
}

// The sum of x's quants over sub-block j of quantized block xBlock (Q8_K's sums of 16).
int quantSumOf(uint xBlock, uint j)
{
    const uint SUB = subBlockValuesOf(WEIGHT_TYPE), word = shape.xOffset + sumWordOf(shape.xBlocks, xBlock, 256u, j * SUB / 16u);
    return SUB == 32u ? int(xWords[word]) + int(xWords[word + 1u]) : int(xWords[word]);
}

// terms[t] = weight block b of the row (at byte `block`) times x's block b of token t0 + t: integer
// sums within the block, then the block term as the CPU computes it (float_sums.h).
void blockTerms(uint block, uint b, uint t0, out float terms[TOKENS])
{
    const uint BLOCK = blockValuesOf(WEIGHT_TYPE), SUB = subBlockValuesOf(WEIGHT_TYPE);
    uint xBlock[TOKENS];
    int dots[TOKENS], minimums[TOKENS]; // sums over the block, per token
    for (uint t = 0; t < TOKENS; ++t) {
        xBlock[t] = xRowOf(tokenOf(t0, t)) * (shape.cols / BLOCK) + b;
        dots[t] = 0;
        minimums[t] = 0;
    }
    for (uint j = 0; j < BLOCK / SUB; ++j) {
        int sums[TOKENS];
        for (uint t = 0; t < TOKENS; ++t)
            sums[t] = 0;
        for (uint v = j * SUB; v < j * SUB + SUB; v += 4u) {
            const ivec4 levels = levels4At(WEIGHT_TYPE, block, v);
            for (uint t = 0; t < TOKENS; ++t)
                sums[t] += dot4(levels, signedBytesOf(xWords[shape.xOffset + quantsWordOf(xBlock[t], BLOCK) + v / 4u]));
        }
        const int scale = subScaleAt(WEIGHT_TYPE, block, j);
        for (uint t = 0; t < TOKENS; ++t) {
            dots[t] += scale * sums[t];
            if (hasSubMinimum(WEIGHT_TYPE))
                minimums[t] += subMinimumAt(WEIGHT_TYPE, block, j) * quantSumOf(xBlock[t], j);
        }
    }
    const float d = blockScaleAt(WEIGHT_TYPE, block), minimum = blockMinimumAt(WEIGHT_TYPE, block);
    for (uint t = 0; t < TOKENS; ++t) {
        const float xScale = uintBitsToFloat(xWords[shape.xOffset + scaleWordOf(shape.xBlocks, xBlock[t], BLOCK)]);
        const float blockSum = hasBlockMinimum(WEIGHT_TYPE)
                                   ? uintBitsToFloat(xWords[shape.xOffset + sumWordOf(shape.xBlocks, xBlock[t], BLOCK, 0u)])
                                   : 0.0;
        terms[t] = blockTerm(WEIGHT_TYPE, d, minimum, xScale, dots[t], minimums[t], blockSum);
    }
}

// The row's sums from each invocation's: combined in shared memory pair by pair (a row's
// invocations need not make whole subgroups), in the order the CPU combines its running sums
// (float_sums.h), the same bits where a row is short: a float row's 32 lanes as floatLanesSum
// does (strides 8, 16, then 4, 2, 1); a quantized row's blocks neighbour with neighbour first, as
// its pairs of blocks. The row's first invocation gets the results.
void rowSums(uint lane, inout float sums[TOKENS])
{
    for (uint t = 0; t < TOKENS; ++t)
        partial[lane * TOKENS + t] = sums[t];
    barrier();
    uint combined = 0u; // the strides done
    const uint floatStrides[5] = uint[5](8u, 16u, 4u, 2u, 1u);
    for (uint s = 0; s < 5u; ++s) {
        const uint stride = isFloatType(WEIGHT_TYPE) ? floatStrides[s] : 1u << s;
        if (stride >= LANES)
            continue;
        if (((lane % LANES) & (combined | stride)) == 0u) {
            for (uint t = 0; t < TOKENS; ++t)
                partial[lane * TOKENS + t] += partial[(lane + stride) * TOKENS + t];
        }
        combined |= stride;
        barrier();
    }
    for (uint t = 0; t < TOKENS; ++t)
        sums[t] = partial[lane * TOKENS + t];
}

// This invocation's share of a float row: running sums over the columns lane, lane + LANES, ...,
// as the CPU's 32 lanes sum them.
void addFloatProducts(uint rowStart, uint laneInRow, uint t0, inout float sums[TOKENS])
{
    for (uint i = laneInRow; i < shape.cols; i += LANES) {
        const float w = valueAt(WEIGHT_TYPE, rowStart, i);
        for (uint t = 0; t < TOKENS; ++t) {
            precise float product = w * uintBitsToFloat(xWords[shape.xOffset + xRowOf(tokenOf(t0, t)) * xStrideOf() + i]);
            sums[t] += product; // a product then a sum, as the CPU's lanes (no fma)
        }
    }
}

// This invocation's share of a quantized row: the terms of blocks laneInRow, laneInRow + LANES, ...
void addBlockProducts(uint rowStart, uint laneInRow, uint t0, inout float sums[TOKENS])
{
    for (uint b = laneInRow; b < shape.cols / blockValuesOf(WEIGHT_TYPE); b += LANES) {
        float terms[TOKENS];
        blockTerms(rowStart + b * blockBytesOf(WEIGHT_TYPE), b, t0, terms);
        for (uint t = 0; t < TOKENS; ++t)
            sums[t] += terms[t];
    }
}

void main()
{
    shape = pairShape();
    const uint lane = gl_LocalInvocationID.x, r = lane / LANES;
    const uint row = gl_WorkGroupID.x * ROWS + r, t0 = gl_WorkGroupID.y * TOKENS;
    const bool live = row < shape.rows; // every invocation takes part in the barriers
    const uint rowStart = shape.weightOffset + row * rowBytesOf(WEIGHT_TYPE, shape.cols);
    float sums[TOKENS];
    for (uint t = 0; t < TOKENS; ++t)
        sums[t] = 0.0;
    if (live && isFloatType(WEIGHT_TYPE))
        addFloatProducts(rowStart, lane % LANES, t0, sums);
    else if (live)
        addBlockProducts(rowStart, lane % LANES, t0, sums);
    rowSums(lane, sums);
    if (live && lane % LANES == 0u) {
        for (uint t = 0; t < TOKENS; ++t) {
            if (t0 + t < shape.tokens)
                y[shape.yOffset + (t0 + t) * shape.yStride + shape.firstRow + row] = sums[t];
        }
    }
}
