#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// out[t][firstRow + r] = sum_i weight[r][i] * x[t][i] for the weight rows of one buffer part.
// A workgroup computes a tile of ROWS weight rows by TOKENS tokens, its invocations splitting the
// columns; one token per tile (TOKENS = 1) is the matrix-vector product of generation, larger
// tiles reuse each weight block across a batch's tokens. Q8_0 and Q4_0 weights are dequantized in
// registers against x quantized to Q8_0 block by block (scale rounded to F16, values to nearest
// even), as the CPU backend and llama.cpp compute it, so each block's product is an integer sum.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint WEIGHT_TYPE = 0; // a GGUF type id: F32, F16, Q4_0, Q8_0
layout(constant_id = 2) const uint ROWS = 4;
layout(constant_id = 3) const uint TOKENS = 1;

layout(std430, binding = 0) readonly buffer Weight { uint words[]; }; // (rows, cols) in WEIGHT_TYPE
layout(std430, binding = 1) readonly buffer X { float x[]; };         // (tokens, cols)
layout(std430, binding = 2) writeonly buffer Output { float y[]; };   // (tokens, yStride)

layout(push_constant) uniform Shape {
    uint cols, rows, tokens;
    uint weightOffset; // bytes into the weight buffer where row 0 of this part starts
    uint xOffset;      // floats into x
    uint yOffset;      // floats into y
    uint yStride;      // floats per output row (all the weight's rows)
    uint firstRow;     // the output column of this part's row 0
} shape;

#include "packed_values.glsl"

const uint TILE = ROWS * TOKENS;
shared float partial[WORKGROUP_SIZE * TILE]; // the tile's sums per invocation (or per subgroup)

float quantizedBlockProduct(uint block, int q[32])
{
    int sum = 0;
    if (WEIGHT_TYPE == TYPE_Q8_0) {
        for (uint j = 0; j < 32; ++j)
            sum += q[j] * signedByteAt(block + 2 + j);
    } else {
        for (uint j = 0; j < 16; ++j) {
            const uint packed = byteAt(block + 2 + j);
            sum += q[j] * (int(packed & 15u) - 8) + q[j + 16] * (int(packed >> 4) - 8);
        }
    }
    return halfAt(block) * float(sum);
}

void main()
{
    const uint lane = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * ROWS, t0 = gl_WorkGroupID.y * TOKENS;
    const uint rowBytes = rowBytesOf(WEIGHT_TYPE, shape.cols);
    float acc[TILE];
    for (uint k = 0; k < TILE; ++k)
        acc[k] = 0.0;

    if (WEIGHT_TYPE == TYPE_Q8_0 || WEIGHT_TYPE == TYPE_Q4_0) {
        const uint blockBytes = WEIGHT_TYPE == TYPE_Q8_0 ? 34 : 18;
        for (uint b = lane; b < shape.cols / 32; b += WORKGROUP_SIZE) {
            for (uint t = 0; t < TOKENS && t0 + t < shape.tokens; ++t) {
                const uint xBase = shape.xOffset + (t0 + t) * shape.cols + b * 32;
                float amax = 0.0;
                for (uint j = 0; j < 32; ++j)
                    amax = max(amax, abs(x[xBase + j]));
                const float d = amax / 127.0;
                const float id = d != 0.0 ? 1.0 / d : 0.0;
                const float xScale = unpackHalf2x16(packHalf2x16(vec2(d, 0.0))).x;
                int q[32];
                for (uint j = 0; j < 32; ++j)
                    q[j] = int(roundEven(x[xBase + j] * id));
                for (uint r = 0; r < ROWS && row0 + r < shape.rows; ++r) {
                    const uint block = shape.weightOffset + (row0 + r) * rowBytes + b * blockBytes;
                    acc[r * TOKENS + t] += quantizedBlockProduct(block, q) * xScale;
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
