#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// RMSNorm of each row: y = x / sqrt(mean(x^2) + eps) * weight; and, where the products that read y
// quantize it, y's quantized forms too (QUANTIZED_FORMS), saving them a dispatch and a barrier.
// One workgroup per row; the sum of squares is reduced over the workgroup, then each invocation
// quantizes whole blocks of the row y holds (coherent: written by the other invocations).
// With ADD (rms_norm_add, Backend::addAndNorm): x = x + addend first, written back, and the norm of
// that sum; each invocation reads back only the values it wrote itself.

layout(local_size_x_id = 0) in; // workgroup size, a power of two, set by specialization
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;
layout(constant_id = 1) const uint QUANTIZED_FORMS = 0; // bit 0: Q8_0, bit 1: Q8_K

#ifdef ADD
layout(std430, binding = 0) buffer Input { float x[]; };              // (rows, cols)
layout(std430, binding = 4) readonly buffer Addend { float addend[]; }; // (rows, cols)
#else
layout(std430, binding = 0) readonly buffer Input { float x[]; };     // (rows, cols)
#endif
layout(std430, binding = 1) readonly buffer Weight { float weight[]; }; // (cols)
layout(std430, binding = 2) coherent buffer Output { float y[]; };    // (rows, cols)
layout(std430, binding = 3) writeonly buffer Quantized { uint quantized[]; }; // quantized_activations.glsl

layout(push_constant) uniform Shape {
    uint cols;
    float eps;
    uint xOffset;      // floats into x where row 0 starts
    uint weightOffset; // floats into weight
    uint yOffset;      // floats into y
    uint rows;
    uint q8_0Offset, q8KOffset; // words into quantized where the forms start
#ifdef ADD
    uint addendOffset; // floats into addend
#endif
} shape;

#include "workgroup_reduce.glsl"
#define ACTIVATION_VALUE(i) y[i]
#include "quantize_block.glsl"

// This row's blocks of blockValues values, one invocation a block, into the form at word `to`.
void quantizeRow(uint row, uint rowBase, uint blockValues, uint to)
{
    const uint perRow = shape.cols / blockValues;
    for (uint b = gl_LocalInvocationID.x; b < perRow; b += WORKGROUP_SIZE)
        quantizeBlock(rowBase + b * blockValues, row * perRow + b, shape.rows * perRow, blockValues, to);
}

void main()
{
    const uint row = gl_WorkGroupID.x;
    const uint lane = gl_LocalInvocationID.x;
    const uint inBase = shape.xOffset + row * shape.cols;
    const uint outBase = shape.yOffset + row * shape.cols;

    float sum = 0.0;
    for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE) {
#ifdef ADD
        x[inBase + i] += addend[shape.addendOffset + row * shape.cols + i];
#endif
        sum += x[inBase + i] * x[inBase + i];
    }
    const float scale = inversesqrt(workgroupSum(sum) / float(shape.cols) + shape.eps);
    for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE)
        y[outBase + i] = x[inBase + i] * scale * weight[shape.weightOffset + i];
    if (QUANTIZED_FORMS == 0u)
        return;
    memoryBarrierBuffer();
    barrier();
    if ((QUANTIZED_FORMS & 1u) != 0u)
        quantizeRow(row, outBase, 32u, shape.q8_0Offset);
    if ((QUANTIZED_FORMS & 2u) != 0u)
        quantizeRow(row, outBase, 256u, shape.q8KOffset);
}
