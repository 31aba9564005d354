#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// Causal attention of query t, head h over the F16 cache rows 0 .. firstPosition + t, with the
// key/value head h / (heads / kvHeads). One workgroup per (head, token); the softmax in two
// passes over the keys (causal_softmax.glsl).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint MAX_HEAD_DIM = 128; // a multiple of WORKGROUP_SIZE, >= headDim

layout(std430, binding = 0) readonly buffer Q { float q[]; };           // (tokens, heads * headDim)
layout(std430, binding = 1) readonly buffer Keys { uint keys[]; };      // F16 (positions, kvHeads * headDim)
layout(std430, binding = 2) readonly buffer Values { uint values[]; };  // F16, as keys
layout(std430, binding = 3) writeonly buffer Output { float y[]; };     // (tokens, heads * headDim)

layout(push_constant) uniform Shape {
    uint heads, kvHeads, headDim, firstPosition;
    float scale;
    uint qOffset;      // floats into q
    uint keysOffset;   // halves into keys
    uint valuesOffset; // halves into values
    uint yOffset;      // floats into y
} shape;

#include "workgroup_reduce.glsl"
#include "causal_softmax.glsl"

shared float query[MAX_HEAD_DIM];

// Halves from the start of a cache to position j's values of this workgroup's key/value head.
uint kvBase(uint j)
{
    const uint kvHead = gl_WorkGroupID.x / (shape.heads / shape.kvHeads);
    return j * shape.kvHeads * shape.headDim + kvHead * shape.headDim;
}

float keyScore(uint j)
{
    const uint base = shape.keysOffset + kvBase(j);
    float dot = 0.0;
    for (uint d = 0; d < shape.headDim; ++d)
        dot += query[d] * halfOf(keys[(base + d) >> 1], base + d);
    return dot * shape.scale;
}

void main()
{
    const uint h = gl_WorkGroupID.x, t = gl_WorkGroupID.y, lane = gl_LocalInvocationID.x;
    const uint visible = shape.firstPosition + t + 1;
    const uint qBase = shape.qOffset + t * shape.heads * shape.headDim + h * shape.headDim;
    for (uint d = lane; d < shape.headDim; d += WORKGROUP_SIZE)
        query[d] = roundedToHalf(q[qBase + d]);
    barrier();

    float maxScore, sum;
    softmaxTotals(visible, maxScore, sum);

    // The weighted values; invocation lane owns dimensions lane, lane + WORKGROUP_SIZE, ...
    float acc[MAX_HEAD_DIM / WORKGROUP_SIZE];
    for (uint k = 0; k < MAX_HEAD_DIM / WORKGROUP_SIZE; ++k)
        acc[k] = 0.0;
    for (uint j0 = 0; j0 < visible; j0 += WORKGROUP_SIZE) {
        const uint count = chunkWeights(j0, visible, maxScore, sum);
        for (uint k = 0; k < MAX_HEAD_DIM / WORKGROUP_SIZE; ++k) {
            const uint d = lane + k * WORKGROUP_SIZE;
            if (d < shape.headDim) {
                for (uint i = 0; i < count; ++i) {
                    const uint at = shape.valuesOffset + kvBase(j0 + i) + d;
                    acc[k] += chunkWeight[i] * halfOf(values[at >> 1], at);
                }
            }
        }
    }
    const uint yBase = shape.yOffset + t * shape.heads * shape.headDim + h * shape.headDim;
    for (uint k = 0; k < MAX_HEAD_DIM / WORKGROUP_SIZE; ++k) {
        const uint d = lane + k * WORKGROUP_SIZE;
        if (d < shape.headDim)
            y[yBase + d] = acc[k];
    }
}
