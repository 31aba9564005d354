#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// out[t][firstRow + r] = sum_i weight[r][i] * x[t][i] for the weight rows of one buffer part.
// A workgroup computes a tile of ROWS weight rows by TOKENS tokens, its invocations splitting the
// columns; one token per tile (TOKENS = 1) is the matrix-vector product of generation, larger
// tiles reuse each weight block across a batch's tokens. Quantized weights are dequantized in
// registers (weight_blocks.glsl) against x quantized as the CPU backend and llama.cpp quantize it
// for the type: to Q8_0 per 32 values (scale rounded to F16) for the 32-value types, to Q8_K per
// 256 values (the signed value of largest magnitude maps to -127) for K-quants and IQ4_XS; so
// each block's product is an integer sum, scaled once per block as the CPU scales it.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint WEIGHT_TYPE = 0; // a GGUF type id (weight_blocks.glsl)
layout(constant_id = 2) const uint ROWS = 4;
layout(constant_id = 3) const uint TOKENS = 1;

layout(std430, binding = 0) readonly buffer Weight { uint words[]; }; // (rows, cols) in WEIGHT_TYPE
layout(std430, binding = 1) readonly buffer X { float x[]; };         // (tokens, cols)
layout(std430, binding = 2) writeonly buffer Output { float y[]; };   // (tokens, yStride)

struct Shape {
    uint cols, rows, tokens;
    uint weightOffset; // bytes into the weight buffer where row 0 of this part starts
    uint xOffset;      // floats into x
    uint yOffset;      // floats into y
    uint yStride;      // floats per output row (all the weight's rows)
    uint firstRow;     // the output column of this part's row 0
};

#include "weight_blocks.glsl"
#include "activation_quantization.glsl"

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
    uint xStride;      // floats from one x row to the next
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
    // Wrapping arithmetic: x row `pair` of the plain product lands on the pair's own x row.
    s.xOffset += (pair / push.pairsPerXRow) * push.xStride - pair * s.cols;
    return s;
}
#else
layout(push_constant) uniform Push { Shape base; } push;

Shape pairShape() { return push.base; }
#endif
Shape shape;

const uint TILE = ROWS * TOKENS;
shared float partial[WORKGROUP_SIZE * TILE]; // the tile's sums per invocation (or per subgroup)

void main()
{
    shape = pairShape();
    const uint lane = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * ROWS, t0 = gl_WorkGroupID.y * TOKENS;
    const uint rowBytes = rowBytesOf(WEIGHT_TYPE, shape.cols);
    float acc[TILE];
    for (uint k = 0; k < TILE; ++k)
        acc[k] = 0.0;

    if (!isFloatType(WEIGHT_TYPE)) {
        const uint BLOCK = blockValuesOf(WEIGHT_TYPE), SUB = subBlockValuesOf(WEIGHT_TYPE);
        for (uint b = lane; b < shape.cols / BLOCK; b += WORKGROUP_SIZE) {
            for (uint t = 0; t < TOKENS && t0 + t < shape.tokens; ++t) {
                const uint xBase = shape.xOffset + (t0 + t) * shape.cols + b * BLOCK;
                const ActivationScale xs = activationScale(xBase, isSuperBlockType(WEIGHT_TYPE));
                int dots[ROWS], minimums[ROWS], xSum = 0; // sums over the block, per row
                for (uint r = 0; r < ROWS; ++r) {
                    dots[r] = 0;
                    minimums[r] = 0;
                }
                for (uint j = 0; j < BLOCK / SUB; ++j) {
                    int q[32], subSum = 0;
                    for (uint i = 0; i < SUB; ++i) {
                        q[i] = activationQuant(x[xBase + j * SUB + i], xs.inverse);
                        subSum += q[i];
                    }
                    xSum += subSum;
                    for (uint r = 0; r < ROWS && row0 + r < shape.rows; ++r) {
                        const uint block = shape.weightOffset + (row0 + r) * rowBytes + b * blockBytesOf(WEIGHT_TYPE);
                        int dot = 0;
                        for (uint i = 0; i < SUB; ++i)
                            dot += levelAt(WEIGHT_TYPE, block, j * SUB + i) * q[i];
                        dots[r] += subScaleAt(WEIGHT_TYPE, block, j) * dot;
                        minimums[r] += subMinimumAt(WEIGHT_TYPE, block, j) * subSum;
                    }
                }
                for (uint r = 0; r < ROWS && row0 + r < shape.rows; ++r) {
                    const uint block = shape.weightOffset + (row0 + r) * rowBytes + b * blockBytesOf(WEIGHT_TYPE);
                    const float d = blockScaleAt(WEIGHT_TYPE, block), minimum = blockMinimumAt(WEIGHT_TYPE, block);
                    // The CPU's block term (float_sums.h), each operation rounded alone: precise
                    // keeps a driver from fusing a product and a sum into one fma.
                    precise float product;
                    if (WEIGHT_TYPE == TYPE_Q3_K || WEIGHT_TYPE == TYPE_Q6_K || WEIGHT_TYPE == TYPE_IQ4_XS)
                        product = d * xs.scale * float(dots[r]); // signed values, no minimums
                    else if (isSuperBlockType(WEIGHT_TYPE))
                        product = xs.scale * (d * float(dots[r]) - minimum * float(minimums[r]));
                    else if (hasBlockMinimum(WEIGHT_TYPE)) // the minimum times the block's sum, F16 as llama.cpp's Q8_1
                        product = d * xs.scale * float(dots[r]) + minimum * blockSumScale(xs, xSum);
                    else
                        product = d * xs.scale * float(dots[r]);
                    acc[r * TOKENS + t] += product;
                }
            }
        }
    } else {
        for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE) {
            for (uint t = 0; t < TOKENS && t0 + t < shape.tokens; ++t) {
                const float xi = x[shape.xOffset + (t0 + t) * shape.cols + i];
                for (uint r = 0; r < ROWS && row0 + r < shape.rows; ++r)
                    acc[r * TOKENS + t] += valueAt(WEIGHT_TYPE, shape.weightOffset + (row0 + r) * rowBytes, i) * xi;
            }
        }
    }

#ifdef USE_SUBGROUPS
    for (uint k = 0; k < TILE; ++k) {
        const float sum = subgroupAdd(acc[k]);
        if (subgroupElect())
            partial[gl_SubgroupID * TILE + k] = sum;
    }
    barrier();
    if (lane < TILE) {
        float sum = 0.0;
        for (uint s = 0; s < gl_NumSubgroups; ++s)
            sum += partial[s * TILE + lane];
        partial[lane] = sum;
    }
#else
    for (uint k = 0; k < TILE; ++k)
        partial[lane * TILE + k] = acc[k];
    barrier();
    for (uint stride = WORKGROUP_SIZE / 2; stride > 0; stride /= 2) {
        if (lane < stride) {
            for (uint k = 0; k < TILE; ++k)
                partial[lane * TILE + k] += partial[(lane + stride) * TILE + k];
        }
        barrier();
    }
#endif
    if (lane < TILE) {
        const uint r = lane / TOKENS, t = lane % TOKENS;
        if (row0 + r < shape.rows && t0 + t < shape.tokens)
            y[shape.yOffset + (t0 + t) * shape.yStride + shape.firstRow + row0 + r] = partial[lane];
    }
}
