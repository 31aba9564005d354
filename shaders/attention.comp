#version 450
#extension GL_GOOGLE_include_directive : require

// Causal attention of a batch's queries over the F16 cache rows 0 .. firstPosition + t (query t):
// a workgroup attends a tile of TILE_ROWS queries of one key/value head (attention_tile.glsl), its
// rows the query heads of that key/value head (GQA) for one token after another, so that they all
// share each key and value it loads. Workgroups: (tiles, kvHeads), or (tiles * splits, kvHeads)
// in the passes of split keys.

layout(std430, binding = 0) readonly buffer Q { float q[]; };           // (tokens, heads * headDim)
layout(std430, binding = 1) readonly buffer Keys { uint keys[]; };      // F16 (positions, kvHeads * headDim)
layout(std430, binding = 2) readonly buffer Values { uint values[]; };  // F16, as keys
layout(std430, binding = 3) writeonly buffer Output { float y[]; };     // (tokens, heads * headDim)
layout(std430, binding = 4) buffer Scratch { float scratch[]; };        // the split passes' (attention_tile.glsl)
layout(std430, binding = 5) readonly buffer Position { uint position[]; };

layout(push_constant) uniform Shape {
    uint tokens, heads, kvHeads, headDim;
    uint positionWord; // where the first query's position is in position[] (the host writes it, so
                       // a decoding step's commands repeat from step to step)
    float scale;
    uint qOffset;      // floats into q
    uint keysOffset;   // halves into keys, even (as headDim)
    uint valuesOffset; // halves into values, even
    uint yOffset;      // floats into y
    uint splits;       // of each tile's keys (1: none)
    uint splitKeys;    // keys per split
} shape;

#include "attention_tile.glsl"

uint groupSize() { return shape.heads / shape.kvHeads; }

// Row `row` of this workgroup's tile is query head (token, head) of row tile * TILE_ROWS + row of
// the (token, query head of the key/value head) pairs.
uint tileRowPair(uint row) { return tileOfWorkgroup() * TILE_ROWS + row; }
uint tokenOf(uint row) { return tileRowPair(row) / groupSize(); }
uint headOf(uint row) { return gl_WorkGroupID.y * groupSize() + tileRowPair(row) % groupSize(); }

uint queryPair(uint row, uint pair)
{
    const uint at = shape.qOffset + (tokenOf(row) * shape.heads + headOf(row)) * shape.headDim + 2 * pair;
    return halfBitsOf(q[at]) | (halfBitsOf(q[at + 1]) << 16);
}

uint visibleKeys(uint row) { return position[shape.positionWord] + tokenOf(row) + 1; }

// Words from the start of a cache to the key or value of position j of this workgroup's head.
uint cacheWord(uint offset, uint j)
{
    return (offset + (j * shape.kvHeads + gl_WorkGroupID.y) * shape.headDim) / 2;
}

uint keyPair(uint key, uint pair) { return keys[cacheWord(shape.keysOffset, key) + pair]; }
uint valuePair(uint key, uint pair) { return values[cacheWord(shape.valuesOffset, key) + pair]; }

void storeOutput(uint row, uint pair, vec2 values)
{
    const uint at = shape.yOffset + (tokenOf(row) * shape.heads + headOf(row)) * shape.headDim + 2 * pair;
    y[at] = values.x;
    y[at + 1] = values.y;
}

uint keySplits() { return shape.splits; }
uint splitKeys() { return shape.splitKeys; }

void main()
{
    const uint rows = min(TILE_ROWS, shape.tokens * groupSize() - tileOfWorkgroup() * TILE_ROWS);
    attendTile(rows, shape.headDim / 2, shape.headDim / 2, shape.scale);
}
