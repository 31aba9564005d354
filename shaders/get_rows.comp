#version 450
#extension GL_GOOGLE_include_directive : require

// out[t] = table[ids[t]] as F32, for the tokens whose id falls in this part of the table (a table
// larger than one buffer may hold is split by rows; each part is one dispatch).
// Workgroups: (column groups, tokens).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64;
layout(constant_id = 1) const uint TABLE_TYPE = 0; // a GGUF type id (weight_blocks.glsl)

layout(std430, binding = 0) readonly buffer Table { uint words[]; };
layout(std430, binding = 1) readonly buffer Ids { int ids[]; };   // (tokens)
layout(std430, binding = 2) writeonly buffer Output { float y[]; }; // (tokens, cols)

layout(push_constant) uniform Shape {
    uint cols;
    uint tableOffset; // bytes into the table where this part's first row starts
    uint firstRow;    // the table row this part starts with
    uint rowCount;    // rows in this part
    uint idsOffset;   // ints into ids
    uint yOffset;     // floats into y
} shape;

#include "weight_blocks.glsl"

void main()
{
    const uint t = gl_WorkGroupID.y;
    const int id = ids[shape.idsOffset + t];
    if (id < int(shape.firstRow) || id >= int(shape.firstRow + shape.rowCount))
        return;
    const uint rowStart = shape.tableOffset + (uint(id) - shape.firstRow) * rowBytesOf(TABLE_TYPE, shape.cols);
    for (uint i = gl_WorkGroupID.x * WORKGROUP_SIZE + gl_LocalInvocationID.x; i < shape.cols;
         i += gl_NumWorkGroups.x * WORKGROUP_SIZE)
        y[shape.yOffset + t * shape.cols + i] = valueAt(TABLE_TYPE, rowStart, i);
}
