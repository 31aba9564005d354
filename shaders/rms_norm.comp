#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// RMSNorm of each row: y = x / sqrt(mean(x^2) + eps) * weight.
// One workgroup per row; the sum of squares is reduced over the workgroup.

layout(local_size_x_id = 0) in; // workgroup size, a power of two, set by specialization
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;

layout(std430, binding = 0) readonly buffer Input { float x[]; };     // (rows, cols)
layout(std430, binding = 1) readonly buffer Weight { float weight[]; }; // (cols)
layout(std430, binding = 2) writeonly buffer Output { float y[]; };   // (rows, cols)

layout(push_constant) uniform Shape {
    uint cols;
    float eps;
    uint xOffset;      // floats into x where row 0 starts
    uint weightOffset; // floats into weight
    uint yOffset;      // floats into y
} shape;

#include "workgroup_reduce.glsl"

void main()
{
    const uint row = gl_WorkGroupID.x;
    const uint lane = gl_LocalInvocationID.x;
    const uint inBase = shape.xOffset + row * shape.cols;
    const uint outBase = shape.yOffset + row * shape.cols;

    float sum = 0.0;
    for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE)
        sum += x[inBase + i] * x[inBase + i];
    const float scale = inversesqrt(workgroupSum(sum) / float(shape.cols) + shape.eps);
    for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE)
        y[outBase + i] = x[inBase + i] * scale * weight[shape.weightOffset + i];
}
