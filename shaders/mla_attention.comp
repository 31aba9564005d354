#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// The middle of multi-head latent attention in its absorbed form (see Backend::mlaAttention):
// head h of query t, its nope part already folded into the latent space (W_UK^T q_nope, by
// matmul_experts), attends as one multi-query head of width latentDim + ropeDim over the cached
// latents and rotated keys, and the result stays in the latent space (W_UV is applied after, by
// matmul_experts again). One workgroup per (head, token).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint MAX_LATENT = 512; // a multiple of WORKGROUP_SIZE, >= latentDim
layout(constant_id = 2) const uint MAX_ROPE = 64;    // >= ropeDim

layout(std430, binding = 0) readonly buffer Absorbed { float absorbed[]; }; // (tokens * heads, latentDim)
layout(std430, binding = 1) readonly buffer Q { float q[]; };               // (tokens, heads * (nope + rope))
layout(std430, binding = 2) readonly buffer Latents { uint latents[]; };    // F16 (positions, latentDim)
layout(std430, binding = 3) readonly buffer RopeKeys { uint ropeKeys[]; };  // F16 (positions, ropeDim)
layout(std430, binding = 4) writeonly buffer Output { float y[]; };         // (tokens * heads, latentDim)

layout(push_constant) uniform Shape {
    uint heads, nopeDim, ropeDim, latentDim, firstPosition;
    float scale;
    uint absorbedOffset; // floats into absorbed
    uint qOffset;        // floats into q
    uint latentsOffset;  // halves into latents
    uint ropeKeysOffset; // halves into ropeKeys
    uint yOffset;        // floats into y
} shape;

#include "workgroup_reduce.glsl"
#include "causal_softmax.glsl"

shared float query[MAX_LATENT + MAX_ROPE]; // [absorbed nope | rope], rounded to F16

float keyScore(uint j)
{
    float dot = 0.0;
    const uint latentBase = shape.latentsOffset + j * shape.latentDim;
    for (uint d = 0; d < shape.latentDim; ++d)
        dot += query[d] * halfOf(latents[(latentBase + d) >> 1], latentBase + d);
    const uint ropeBase = shape.ropeKeysOffset + j * shape.ropeDim;
    for (uint d = 0; d < shape.ropeDim; ++d)
        dot += query[shape.latentDim + d] * halfOf(ropeKeys[(ropeBase + d) >> 1], ropeBase + d);
    return dot * shape.scale;
}

void main()
{
    const uint h = gl_WorkGroupID.x, t = gl_WorkGroupID.y, lane = gl_LocalInvocationID.x;
    const uint pair = t * shape.heads + h;
    const uint visible = shape.firstPosition + t + 1;
    for (uint d = lane; d < shape.latentDim; d += WORKGROUP_SIZE)
        query[d] = roundedToHalf(absorbed[shape.absorbedOffset + pair * shape.latentDim + d]);
    const uint ropeBase = shape.qOffset + pair * (shape.nopeDim + shape.ropeDim) + shape.nopeDim;
    for (uint d = lane; d < shape.ropeDim; d += WORKGROUP_SIZE)
        query[shape.latentDim + d] = roundedToHalf(q[ropeBase + d]);
    barrier();

    float maxScore, sum;
    softmaxTotals(visible, maxScore, sum);

    // The weighted latents; invocation lane owns dimensions lane, lane + WORKGROUP_SIZE, ...
    float acc[MAX_LATENT / WORKGROUP_SIZE];
    for (uint k = 0; k < MAX_LATENT / WORKGROUP_SIZE; ++k)
        acc[k] = 0.0;
    for (uint j0 = 0; j0 < visible; j0 += WORKGROUP_SIZE) {
        const uint count = chunkWeights(j0, visible, maxScore, sum);
        for (uint k = 0; k < MAX_LATENT / WORKGROUP_SIZE; ++k) {
            const uint d = lane + k * WORKGROUP_SIZE;
            if (d < shape.latentDim) {
                for (uint i = 0; i < count; ++i) {
                    const uint at = shape.latentsOffset + (j0 + i) * shape.latentDim + d;
                    acc[k] += chunkWeight[i] * halfOf(latents[at >> 1], at);
                }
            }
        }
    }
    for (uint k = 0; k < MAX_LATENT / WORKGROUP_SIZE; ++k) {
        const uint d = lane + k * WORKGROUP_SIZE;
        if (d < shape.latentDim)
            y[shape.yOffset + pair * shape.latentDim + d] = acc[k];
    }
}
