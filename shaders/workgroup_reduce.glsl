// Sums and maxima over a workgroup of WORKGROUP_SIZE invocations (a power of two): with subgroup
// arithmetic where the device has it (compiled with USE_SUBGROUPS), otherwise a tree in shared
// memory (the including shader enables GL_KHR_shader_subgroup_arithmetic with USE_SUBGROUPS and
// declares WORKGROUP_SIZE). Every invocation must call them (they contain barriers); all get the result.

#ifdef USE_SUBGROUPS
shared float reduceScratch[WORKGROUP_SIZE]; // one value per subgroup (at least one invocation each)

float workgroupSum(float value)
{
    value = subgroupAdd(value);
    if (subgroupElect())
        reduceScratch[gl_SubgroupID] = value;
    barrier();
    float total = 0.0;
    for (uint i = 0; i < gl_NumSubgroups; ++i)
        total += reduceScratch[i];
    barrier();
    return total;
}

float workgroupMax(float value)
{
    value = subgroupMax(value);
    if (subgroupElect())
        reduceScratch[gl_SubgroupID] = value;
    barrier();
    float result = reduceScratch[0];
    for (uint i = 1; i < gl_NumSubgroups; ++i)
        result = max(result, reduceScratch[i]);
    barrier();
    return result;
}
#else
shared float reduceScratch[WORKGROUP_SIZE];

float workgroupSum(float value)
{
    const uint lane = gl_LocalInvocationID.x;
    reduceScratch[lane] = value;
    barrier();
    for (uint stride = WORKGROUP_SIZE / 2; stride > 0; stride /= 2) {
        if (lane < stride)
            reduceScratch[lane] += reduceScratch[lane + stride];
        barrier();
    }
    const float total = reduceScratch[0];
    barrier();
    return total;
}

float workgroupMax(float value)
{
    const uint lane = gl_LocalInvocationID.x;
    reduceScratch[lane] = value;
    barrier();
    for (uint stride = WORKGROUP_SIZE / 2; stride > 0; stride /= 2) {
        if (lane < stride)
            reduceScratch[lane] = max(reduceScratch[lane], reduceScratch[lane + stride]);
        barrier();
    }
    const float result = reduceScratch[0];
    barrier();
    return result;
}
#endif
