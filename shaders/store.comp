#version 450
#extension GL_GOOGLE_include_directive : require

// F32 rows into an F16 cache: cache half values [cacheOffset, cacheOffset + count) = x, rounded to
// nearest even in integers as the CPU rounds (packHalf2x16's rounding mode is the driver's
// choice). Two values per invocation, one 32-bit word (the host checks offsets and counts are even).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Cache { uint cache[]; };

layout(push_constant) uniform Shape {
    uint count;       // values
    uint xOffset;     // floats into x
    uint cacheOffset; // halves into the cache
} shape;

#include "half_float.glsl"

void main()
{
    for (uint pair = gl_GlobalInvocationID.x; pair < shape.count / 2; pair += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const uint i = shape.xOffset + 2 * pair;
        cache[shape.cacheOffset / 2 + pair] = halfBitsOf(x[i]) | (halfBitsOf(x[i + 1]) << 16);
    }
}
