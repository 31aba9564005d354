#version 450
#extension GL_GOOGLE_include_directive : require

// F32 rows into an F16 cache at rows firstPosition, firstPosition + 1, ...: rounded to nearest even
// in integers as the CPU rounds (packHalf2x16's rounding mode is the driver's choice). Two values
// per invocation, one 32-bit word (the host checks offsets and row sizes are even). firstPosition
// is read from a word the host writes, so a decoding step's commands repeat from step to step.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Cache { uint cache[]; };
layout(std430, binding = 2) readonly buffer Position { uint position[]; };

layout(push_constant) uniform Shape {
    uint count;        // values
    uint xOffset;      // floats into x
    uint cacheOffset;  // halves into the cache of its row 0
    uint rowHalves;    // values in a cache row
    uint positionWord; // where firstPosition is in position[]
} shape;

#include "half_float.glsl"

void main()
{
    const uint first = (shape.cacheOffset + position[shape.positionWord] * shape.rowHalves) / 2;
    for (uint pair = gl_GlobalInvocationID.x; pair < shape.count / 2; pair += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const uint i = shape.xOffset + 2 * pair;
        cache[first + pair] = halfBitsOf(x[i]) | (halfBitsOf(x[i + 1]) << 16);
    }
}
