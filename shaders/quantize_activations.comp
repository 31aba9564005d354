#version 450
#extension GL_GOOGLE_include_directive : require

// For tests only (tests/engine/test_vulkan_rounding.cpp): the activation quantization matmul.comp
// runs inside its products (activation_quantization.glsl, the same source), written out so its
// bits can be compared with the CPU's. One invocation per block.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint SUPER_BLOCKS = 0; // 1: Q8_K's 256-value blocks; 0: Q8_0's 32

layout(std430, binding = 0) readonly buffer X { float x[]; };          // (blocks, values per block)
layout(std430, binding = 1) writeonly buffer Quants { int quants[]; }; // as x
layout(std430, binding = 2) writeonly buffer Scales { uint scales[]; }; // (blocks): the scale's F32 bits
// Q8_K: (blocks, 16) the sums of 16 quants; Q8_0: (blocks) blockSumScale's F32 bits.
layout(std430, binding = 3) writeonly buffer Sums { uint sums[]; };

layout(push_constant) uniform Shape {
    uint blocks;
} shape;

#include "activation_quantization.glsl"

void main()
{
    const uint block = gl_GlobalInvocationID.x;
    if (block >= shape.blocks)
        return;
    const uint values = SUPER_BLOCKS != 0u ? 256u : 32u, base = block * values;
    const ActivationScale s = activationScale(base, SUPER_BLOCKS != 0u);
    scales[block] = floatBitsToUint(s.scale);
    int sum = 0;
    for (uint i = 0; i < values; ++i) {
        const int q = activationQuant(x[base + i], s.inverse);
        quants[base + i] = q;
        sum += q;
        if (SUPER_BLOCKS != 0u && i % 16u == 15u) {
            sums[block * 16u + i / 16u] = uint(sum);
            sum = 0;
        }
    }
    if (SUPER_BLOCKS == 0u)
        sums[block] = floatBitsToUint(blockSumScale(s, sum));
}
