#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// Causal attention of query t, head h over the F16 cache rows 0 .. firstPosition + t, with the
// key/value head h / (heads / kvHeads). One workgroup per (head, token). The query and the
// softmax weights are rounded to F16 before they meet the F16 cache, as the CPU backend (and
// llama.cpp) compute it. Two passes over the keys, so any length fits and the softmax is stable:
// the first finds the maximum score and the sum of exponentials (each invocation online over its
// keys, then combined), the second weights the values in chunks of WORKGROUP_SIZE keys.

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

shared float query[MAX_HEAD_DIM];
shared float weights[WORKGROUP_SIZE];

float halfOf(uint word, uint index)
{
    return unpackHalf2x16((index & 1u) != 0u ? word >> 16 : word).x;
}

float roundedToHalf(float value)
{
    return unpackHalf2x16(packHalf2x16(vec2(value, 0.0))).x;
}

void main()
{
    const uint h = gl_WorkGroupID.x, t = gl_WorkGroupID.y, lane = gl_LocalInvocationID.x;
    const uint kvHead = h / (shape.heads / shape.kvHeads);
    const uint kvCols = shape.kvHeads * shape.headDim;
    const uint visible = shape.firstPosition + t + 1;
    const uint qBase = shape.qOffset + t * shape.heads * shape.headDim + h * shape.headDim;
    for (uint d = lane; d < shape.headDim; d += WORKGROUP_SIZE)
        query[d] = roundedToHalf(q[qBase + d]);
    barrier();

    // Pass 1: max and sum of exp(score - max), each invocation over keys lane, lane + WORKGROUP_SIZE, ...
    float localMax = -1.0 / 0.0, localSum = 0.0;
    for (uint j = lane; j < visible; j += WORKGROUP_SIZE) {
        const uint base = shape.keysOffset + j * kvCols + kvHead * shape.headDim;
        float dot = 0.0;
        for (uint d = 0; d < shape.headDim; ++d)
            dot += query[d] * halfOf(keys[(base + d) >> 1], base + d);
        const float score = dot * shape.scale;
        if (score > localMax) {
            localSum = localSum * exp(localMax - score) + 1.0;
            localMax = score;
        } else {
            localSum += exp(score - localMax);
        }
    }
    const float maxScore = workgroupMax(localMax);
    const float sum = workgroupSum(localSum == 0.0 ? 0.0 : localSum * exp(localMax - maxScore));

    // Pass 2: the weighted values; invocation lane owns dimensions lane, lane + WORKGROUP_SIZE, ...
    float acc[MAX_HEAD_DIM / WORKGROUP_SIZE];
    for (uint k = 0; k < MAX_HEAD_DIM / WORKGROUP_SIZE; ++k)
        acc[k] = 0.0;
    for (uint j0 = 0; j0 < visible; j0 += WORKGROUP_SIZE) {
        const uint j = j0 + lane;
        if (j < visible) {
            const uint base = shape.keysOffset + j * kvCols + kvHead * shape.headDim;
            float dot = 0.0;
            for (uint d = 0; d < shape.headDim; ++d)
                dot += query[d] * halfOf(keys[(base + d) >> 1], base + d);
            weights[lane] = roundedToHalf(exp(dot * shape.scale - maxScore) / sum);
        }
        barrier();
        const uint count = min(WORKGROUP_SIZE, visible - j0);
        for (uint k = 0; k < MAX_HEAD_DIM / WORKGROUP_SIZE; ++k) {
            const uint d = lane + k * WORKGROUP_SIZE;
            if (d < shape.headDim) {
                for (uint i = 0; i < count; ++i) {
                    const uint at = shape.valuesOffset + (j0 + i) * kvCols + kvHead * shape.headDim + d;
                    acc[k] += weights[i] * halfOf(values[at >> 1], at);
                }
            }
        }
        barrier();
    }
    const uint yBase = shape.yOffset + t * shape.heads * shape.headDim + h * shape.headDim;
    for (uint k = 0; k < MAX_HEAD_DIM / WORKGROUP_SIZE; ++k) {
        const uint d = lane + k * WORKGROUP_SIZE;
        if (d < shape.headDim)
            y[yBase + d] = acc[k];
    }
}
