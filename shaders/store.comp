#version 450
#extension GL_GOOGLE_include_directive : require

// F32 rows into an F16 cache at rows firstPosition, firstPosition + 1, ...: rounded to nearest even
// in integers as the CPU rounds (packHalf2x16's rounding mode is the driver's choice). Two values
// per invocation, one 32-bit word (the host checks offsets and row sizes are even). firstPosition
// is read from a word the host writes, so a decoding step's commands repeat from step to step.
// With ROTATE (store_rotated, Backend::ropeAndStore): each row's heads rotated first as rope.comp
// rotates them (pairs (firstDim + 2i, firstDim + 2i + 1) of each head, by the host's cosines and
// sines), the rotated x written back too.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;

#ifdef ROTATE
layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 3) readonly buffer Rotations { float rotations[]; }; // (rows, pairs, 2)
#else
layout(std430, binding = 0) readonly buffer X { float x[]; };
#endif
layout(std430, binding = 1) writeonly buffer Cache { uint cache[]; };
layout(std430, binding = 2) readonly buffer Position { uint position[]; };

layout(push_constant) uniform Shape {
    uint count;        // values
    uint xOffset;      // floats into x
    uint cacheOffset;  // halves into the cache of its row 0
    uint rowHalves;    // values in a cache row
    uint positionWord; // where firstPosition is in position[]
#ifdef ROTATE
    uint headDim, firstDim, pairs; // rope.comp's
    uint rotationsOffset;          // floats into rotations
#endif
} shape;

#include "half_float.glsl"
#include "rotation.glsl"

void main()
{
    const uint first = (shape.cacheOffset + position[shape.positionWord] * shape.rowHalves) / 2;
    for (uint pair = gl_GlobalInvocationID.x; pair < shape.count / 2; pair += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const uint i = shape.xOffset + 2 * pair;
        vec2 values = vec2(x[i], x[i + 1]);
#ifdef ROTATE
        const uint row = 2 * pair / shape.rowHalves, inHead = 2 * pair % shape.rowHalves % shape.headDim;
        if (inHead >= shape.firstDim && inHead < shape.firstDim + 2 * shape.pairs) {
            const uint r = shape.rotationsOffset + (row * shape.pairs + (inHead - shape.firstDim) / 2) * 2;
            values = rotated(values.x, values.y, rotations[r], rotations[r + 1]);
            x[i] = values.x;
            x[i + 1] = values.y;
        }
#endif
        cache[first + pair] = halfBitsOf(values.x) | (halfBitsOf(values.y) << 16);
    }
}
