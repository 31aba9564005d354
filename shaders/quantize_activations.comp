#version 450
#extension GL_GOOGLE_include_directive : require

// x quantized once per matrix product, for matmul.comp's integer products with quantized weights
// (activation_quantization.glsl: the CPU's bits, which tests/engine/test_vulkan_rounding.cpp
// compares), into the layout of quantized_activations.glsl. One invocation per block.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint SUPER_BLOCKS = 0; // 1: Q8_K's 256-value blocks; 0: Q8_0's 32

layout(std430, binding = 0) readonly buffer X { float x[]; };              // (rows, xStride)
layout(std430, binding = 1) writeonly buffer Quantized { uint quantized[]; }; // quantized_activations.glsl

layout(push_constant) uniform Shape {
    uint cols, rows;      // the values quantized: cols of each of x's rows
    uint xOffset;         // floats into x
    uint xStride;         // floats from one x row to the next
    uint quantizedOffset; // words into quantized
} shape;

#include "activation_quantization.glsl"
#include "quantized_activations.glsl"

void main()
{
    const uint values = SUPER_BLOCKS != 0u ? 256u : 32u, blocksPerRow = shape.cols / values;
    const uint blocks = shape.rows * blocksPerRow;
    for (uint block = gl_GlobalInvocationID.x; block < blocks; block += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const uint base = shape.xOffset + block / blocksPerRow * shape.xStride + block % blocksPerRow * values;
        const uint to = shape.quantizedOffset;
        const ActivationScale s = activationScale(base, SUPER_BLOCKS != 0u);
        quantized[to + scaleWordOf(blocks, block, values)] = floatBitsToUint(s.scale);
        int sum = 0;
        uint packed = 0u;
        for (uint i = 0; i < values; ++i) {
            const int q = activationQuant(x[base + i], s.inverse);
            packed |= (uint(q) & 0xFFu) << (8u * (i % 4u));
            sum += q;
            if (i % 4u == 3u) {
                quantized[to + quantsWordOf(block, values) + i / 4u] = packed;
                packed = 0u;
            }
            if (SUPER_BLOCKS != 0u && i % 16u == 15u) {
                quantized[to + sumWordOf(blocks, block, values, i / 16u)] = uint(sum);
                sum = 0;
            }
        }
        if (SUPER_BLOCKS == 0u)
            quantized[to + sumWordOf(blocks, block, values, 0u)] = floatBitsToUint(blockSumScale(s, sum));
    }
}
