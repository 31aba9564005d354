#version 450
#extension GL_GOOGLE_include_directive : require

// Rotates adjacent pairs (firstDim + 2i, firstDim + 2i + 1) of every head of every row by the
// angle whose cosine and sine the host computed (rotations: (rows, pairs, 2) floats), so the
// angles are exactly the CPU backend's whatever this device's sin/cos precision.
// One invocation per (row, head, pair).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;

layout(std430, binding = 0) buffer X { float x[]; };                      // (rows, heads * headDim)
layout(std430, binding = 1) readonly buffer Rotations { float rotations[]; };

layout(push_constant) uniform Shape {
    uint rows, heads, headDim, firstDim, pairs;
    uint xOffset;         // floats into x
    uint rotationsOffset; // floats into rotations
} shape;

#include "rotation.glsl"

void main()
{
    const uint perRow = shape.heads * shape.pairs;
    for (uint job = gl_GlobalInvocationID.x; job < shape.rows * perRow; job += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const uint row = job / perRow, head = job % perRow / shape.pairs, pair = job % shape.pairs;
        const uint at = shape.xOffset + row * shape.heads * shape.headDim + head * shape.headDim + shape.firstDim + 2 * pair;
        const uint r = shape.rotationsOffset + (row * shape.pairs + pair) * 2;
        const float c = rotations[r], s = rotations[r + 1];
        const vec2 values = rotated(x[at], x[at + 1], c, s);
        x[at] = values.x;
        x[at + 1] = values.y;
    }
}
