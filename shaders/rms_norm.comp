#version 450

// RMSNorm of each row: y = x / sqrt(mean(x^2) + eps) * weight.
// One workgroup per row; the sum of squares is reduced in shared memory.

layout(local_size_x_id = 0) in; // workgroup size, a power of two, set by specialization
layout(constant_id = 0) const uint WORKGROUP_SIZE = 256;

layout(std430, binding = 0) readonly buffer Input { float x[]; };     // (rows, cols)
layout(std430, binding = 1) readonly buffer Weight { float weight[]; }; // (cols)
layout(std430, binding = 2) writeonly buffer Output { float y[]; };   // (rows, cols)

layout(push_constant) uniform Shape {
    uint cols;
    float eps;
} shape;

shared float partial[WORKGROUP_SIZE];

void main()
{
    const uint row = gl_WorkGroupID.x;
    const uint lane = gl_LocalInvocationID.x;
    const uint base = row * shape.cols;

    float sum = 0.0;
    for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE)
        sum += x[base + i] * x[base + i];
    partial[lane] = sum;
    barrier();
    for (uint stride = WORKGROUP_SIZE / 2; stride > 0; stride /= 2) {
        if (lane < stride)
            partial[lane] += partial[lane + stride];
        barrier();
    }

    const float scale = inversesqrt(partial[0] / float(shape.cols) + shape.eps);
    for (uint i = lane; i < shape.cols; i += WORKGROUP_SIZE)
        y[base + i] = x[base + i] * scale * weight[i];
}
