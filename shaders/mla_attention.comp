#version 450
#extension GL_GOOGLE_include_directive : require

// The middle of multi-head latent attention in its absorbed form (see Backend::mlaAttention):
// head h of query t, its nope part already folded into the latent space (W_UK^T q_nope, by
// matmul_experts), attends as one multi-query head of width latentDim + ropeDim over the cached
// latents and rotated keys, and the result stays in the latent space (W_UV is applied after, by
// matmul_experts again). All heads share the latent cache (multi-query), so a workgroup attends a
// tile of TILE_ROWS (token, head) pairs (attention_tile.glsl), each latent and rotated key loaded
// once for all of them. Workgroups: tiles, or tiles * splits in the passes of split keys.

layout(std430, binding = 0) readonly buffer Absorbed { float absorbed[]; }; // (tokens * heads, latentDim)
layout(std430, binding = 1) readonly buffer Q { float q[]; };               // (tokens, heads * (nope + rope))
layout(std430, binding = 2) readonly buffer Latents { uint latents[]; };    // F16 (positions, latentDim)
layout(std430, binding = 3) readonly buffer RopeKeys { uint ropeKeys[]; };  // F16 (positions, ropeDim)
layout(std430, binding = 4) writeonly buffer Output { float y[]; };         // (tokens * heads, latentDim)
layout(std430, binding = 5) buffer Scratch { float scratch[]; };            // the split passes' (attention_tile.glsl)
layout(std430, binding = 6) readonly buffer Position { uint position[]; };

layout(push_constant) uniform Shape {
    uint tokens, heads, nopeDim, ropeDim, latentDim; // ropeDim and latentDim even
    uint positionWord;   // where the first query's position is in position[] (written by the host)
    float scale;
    uint absorbedOffset; // floats into absorbed
    uint qOffset;        // floats into q
    uint latentsOffset;  // halves into latents, even
    uint ropeKeysOffset; // halves into ropeKeys, even
    uint yOffset;        // floats into y
    uint splits;         // of each tile's keys (1: none)
    uint splitKeys;      // keys per split
} shape;

#include "attention_tile.glsl"

// Row `row` of this workgroup's tile is (token, head) pair t * heads + h.
uint pairOf(uint row) { return tileOfWorkgroup() * TILE_ROWS + row; }

// A query is [W_UK^T q_nope | q_rope], a key [latent | rotated key]: pairs from latentDim / 2 on
// are the rope part's.
uint queryPair(uint row, uint pair)
{
    const uint latentPairs = shape.latentDim / 2;
    vec2 values;
    if (pair < latentPairs) {
        const uint at = shape.absorbedOffset + pairOf(row) * shape.latentDim + 2 * pair;
        values = vec2(absorbed[at], absorbed[at + 1]);
    } else {
        const uint at = shape.qOffset + pairOf(row) * (shape.nopeDim + shape.ropeDim) + shape.nopeDim + 2 * (pair - latentPairs);
        values = vec2(q[at], q[at + 1]);
    }
    return halfBitsOf(values.x) | (halfBitsOf(values.y) << 16);
}

uint visibleKeys(uint row) { return position[shape.positionWord] + pairOf(row) / shape.heads + 1; }

uint valuePair(uint key, uint pair) { return latents[(shape.latentsOffset + key * shape.latentDim) / 2 + pair]; }

uint keyPair(uint key, uint pair)
{
    const uint latentPairs = shape.latentDim / 2;
    if (pair < latentPairs)
        return valuePair(key, pair);
    return ropeKeys[(shape.ropeKeysOffset + key * shape.ropeDim) / 2 + pair - latentPairs];
}

void storeOutput(uint row, uint pair, vec2 values)
{
    const uint at = shape.yOffset + pairOf(row) * shape.latentDim + 2 * pair;
    y[at] = values.x;
    y[at + 1] = values.y;
}

uint keySplits() { return shape.splits; }
uint splitKeys() { return shape.splitKeys; }

void main()
{
    const uint rows = min(TILE_ROWS, shape.tokens * shape.heads - tileOfWorkgroup() * TILE_ROWS);
    attendTile(rows, (shape.latentDim + shape.ropeDim) / 2, shape.latentDim / 2, shape.scale);
}
