#version 450
#extension GL_GOOGLE_include_directive : require

// x quantized for the integer products with quantized weights (matmul.comp, matmul_tiled.comp and
// their experts variants), where the dispatch that
// wrote x did not already write the form (rms_norm.comp and elementwise.comp's SwiGLU can)
// (quantize_block.glsl: the CPU's bits, which tests/engine/test_vulkan_rounding.cpp compares), into
// the layout of quantized_activations.glsl. One invocation per block.

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

#include "quantize_block.glsl"

void main()
{
    const uint values = SUPER_BLOCKS != 0u ? 256u : 32u, blocksPerRow = shape.cols / values;
    const uint blocks = shape.rows * blocksPerRow;
    for (uint block = gl_GlobalInvocationID.x; block < blocks; block += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const uint base = shape.xOffset + block / blocksPerRow * shape.xStride + block % blocksPerRow * values;
        quantizeBlock(base, block, blocks, values, shape.quantizedOffset);
    }
}
