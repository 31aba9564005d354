#version 450

// out = a + b (OPERATION 0) or out = silu(a) * b (OPERATION 1), over count values. The tensors
// may be the same buffer (x = x + y), so nothing is declared restrict.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;
layout(constant_id = 1) const uint OPERATION = 0;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

layout(push_constant) uniform Shape {
    uint count;
    uint aOffset, bOffset, yOffset; // floats into each buffer
} shape;

void main()
{
    for (uint i = gl_GlobalInvocationID.x; i < shape.count; i += gl_NumWorkGroups.x * WORKGROUP_SIZE) {
        const float x = a[shape.aOffset + i], z = b[shape.bOffset + i];
        y[shape.yOffset + i] = OPERATION == 0 ? x + z : x / (1.0 + exp(-x)) * z;
    }
}
