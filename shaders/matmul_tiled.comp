#version 450
#extension GL_GOOGLE_include_directive : require

// out[t][firstRow + r] = sum_i weight[r][i] * x[t][i] for the weight rows of one buffer part, for
// batches of many tokens (prompts; matmul.comp takes the few-token products). A workgroup computes
// a tile of TILE_ROWS weight rows by TILE_TOKENS tokens, each invocation a 4 x 4 register tile of
// it, walking the columns a run of 32 at a time. Each run is staged in shared memory once for the
// whole tile: the weights' integer levels (weight_blocks.glsl) with their sub-block scales and
// minimums, and the quants of x quantized once per product (quantize_activations.comp: the CPU's
// bits) with their scales and sums, so every (sub-)block sums the same integers and every block
// adds the same float term as the CPU (block_term.glsl); only the order of the float sums across
// blocks differs. Float weights (F32, F16, BF16) are staged as values and multiplied in float.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 128; // TILE_ROWS * TILE_TOKENS / 16: a 4 x 4 tile each
layout(constant_id = 1) const uint WEIGHT_TYPE = 0;      // a GGUF type id (weight_blocks.glsl)
layout(constant_id = 2) const uint TILE_ROWS = 64;       // a multiple of 4
layout(constant_id = 3) const uint TILE_TOKENS = 32;     // a multiple of 4

layout(std430, binding = 0) readonly buffer Weight { uint words[]; }; // (rows, cols) in WEIGHT_TYPE
// x: F32 values, (tokens, cols), for float weight types; for the others its quantized form
// (quantized_activations.glsl, Q8_0 or Q8_K as the type wants), (tokens, cols).
layout(std430, binding = 1) readonly buffer X { uint xWords[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };   // (tokens, yStride)
#ifdef EXPERTS
// The experts variant (matmul_experts_tiled): the weight is a stack of matrices of matrixRows rows
// each (a mixture-of-experts layer's experts), and workgroup y takes tile y of moe_group.comp's
// grouping: up to TILE_TOKENS (token, expert) pairs of one expert, times that expert's matrix.
// Pair p reads x row p / pairsPerXRow and writes output row p (as matmul_experts does).
layout(std430, binding = 3) readonly buffer Groups { uint groups[]; };
#endif

// matmul.comp's push constants (and matmul_experts'); rows are this part's, firstRow the stack row
// (or output column) of its row 0.
layout(push_constant) uniform Shape {
    uint cols, rows, tokens;
    uint weightOffset; // bytes into the weight buffer where row 0 of this part starts
    uint xOffset;      // words into X where x, or its quantized form, starts
    uint xBlocks;      // blocks of the quantized form, which place its scales and sums
    uint yOffset;      // floats into y
    uint yStride;      // floats per output row (all the weight's rows)
    uint firstRow;     // the output column of this part's row 0
#ifdef EXPERTS
    uint matrixRows;   // rows of each matrix of the stack
    uint pairsPerXRow;
    uint orderOffset;  // words into groups where the pairs in expert order start
#endif
} shape;

#include "weight_blocks.glsl"
#include "block_term.glsl"
#include "quantized_activations.glsl"

// Columns per step of a quantized product: a 32-value block, or a run of a super-block (one or two
// sub-blocks).
const uint RUN = 32;
// The invocation's register tile: rows rowGroup + i * ROW_GROUPS, tokens tokenGroup + j * TOKEN_GROUPS
// (i, j < 4), so that neighbouring invocations read neighbouring shared words and write
// neighbouring outputs.
const uint ROW_GROUPS = TILE_ROWS / 4, TOKEN_GROUPS = TILE_TOKENS / 4;

// The step being multiplied, 16 bytes a row (or token) per slot: in a quantized product 16 columns
// of integer levels (or quants), signed bytes, the first in the low byte; in a float product 4
// columns of F32 bits. Whole 16-byte loads, and few: a load's cost is per invocation rather than
// per byte on a CPU driver (lavapipe), and 16-byte shared loads are the widest GPUs have.
const uint SLOTS = RUN / 16;
shared uvec4 weightStep[SLOTS * TILE_ROWS]; // (SLOTS, TILE_ROWS)
shared uvec4 xStep[SLOTS * TILE_TOKENS];    // (SLOTS, TILE_TOKENS)
// The current block's constants: sub-block scales and minimums of the run, per row; F16 scale and
// minimum per row; x's scale and block sum (Q4_1, Q5_1) per token, and the sums of its quants over
// the run's sub-blocks (Q2_K, Q4_K, Q5_K).
shared int subScales[RUN / 16 * TILE_ROWS];   // (sub-blocks in the run, TILE_ROWS)
shared int subMinimums[RUN / 16 * TILE_ROWS]; // (sub-blocks in the run, TILE_ROWS)
shared float blockScales[TILE_ROWS], blockMinimums[TILE_ROWS];
shared float tokenScales[TILE_TOKENS], tokenBlockSums[TILE_TOKENS];
shared int quantSums[RUN / 16 * TILE_TOKENS]; // (sub-blocks in the run, TILE_TOKENS)

uint row0, token0, rowGroup, tokenGroup;
mat4 sums; // sums[i][t]: the invocation's output of row i and token t

#ifdef EXPERTS
uint expertRow0, tileTokens; // the stack row of the tile's expert's row 0; the tile's pairs
shared uint xRows[TILE_TOKENS], outputRows[TILE_TOKENS]; // of the tile's pairs

// Row `row` of the tile, as a row of this part (valid where hasRow).
uint partRow(uint row) { return expertRow0 + row0 + row - shape.firstRow; }
bool hasRow(uint row)
{
    const uint stackRow = expertRow0 + row0 + row;
    return row0 + row < shape.matrixRows && stackRow >= shape.firstRow && stackRow - shape.firstRow < shape.rows;
}
bool hasToken(uint token) { return token < tileTokens; }
uint xRow(uint token) { return xRows[token]; }
uint outputIndex(uint row, uint token) { return shape.yOffset + outputRows[token] * shape.yStride + row0 + row; }
#else
uint partRow(uint row) { return row0 + row; }
bool hasRow(uint row) { return row0 + row < shape.rows; }
bool hasToken(uint token) { return token0 + token < shape.tokens; }
uint xRow(uint token) { return token0 + token; }
uint outputIndex(uint row, uint token) { return shape.yOffset + (token0 + token) * shape.yStride + shape.firstRow + row0 + row; }
#endif
uint rowStart(uint row) { return shape.weightOffset + partRow(row) * rowBytesOf(WEIGHT_TYPE, shape.cols); }
uint xStart(uint token) { return shape.xOffset + xRow(token) * shape.cols; }
// Block b of the token's row in x's quantized form.
uint xBlockOf(uint token, uint b) { return xRow(token) * (shape.cols / blockValuesOf(WEIGHT_TYPE)) + b; }

uint packedBytes(ivec4 values)
{
    const uvec4 bytes = uvec4(values) & 0xFFu;
    return bytes.x | (bytes.y << 8) | (bytes.z << 16) | (bytes.w << 24);
}

// packedBytes' values back, as exact floats: 2^23 + 128 + value is an F32 whose low bits are the
// byte with its sign bit flipped, so two integer operations and a subtraction recover it, with no
// int-to-float conversion (a slow instruction on many GPUs).
vec4 bytesAsFloats(uint packed)
{
    const uvec4 biased = (uvec4(packed ^ 0x80808080u) >> uvec4(0, 8, 16, 24)) & 0xFFu;
    return uintBitsToFloat(biased | 0x4B000000u) - 8388736.0;
}

// The 4 words' bytes (packedBytes), a word to a column.
mat4 columnsOf(uvec4 words)
{
    return mat4(bytesAsFloats(words.x), bytesAsFloats(words.y), bytesAsFloats(words.z), bytesAsFloats(words.w));
}

// Run `run` of block b: levels and sub-block constants of the tile's rows, quants (and for Q2_K,
// Q4_K, Q5_K their sub-block sums) of its tokens; the block's F16 constants and x's block constants
// with the first run. Missing rows and tokens are zeros.
void stageQuantizedRun(uint b, uint run)
{
    const uint lane = gl_LocalInvocationID.x;
    const uint BLOCK = blockValuesOf(WEIGHT_TYPE), SUB = subBlockValuesOf(WEIGHT_TYPE);
    const uint blockOffset = b * blockBytesOf(WEIGHT_TYPE);
    for (uint e = lane; e < SLOTS * TILE_ROWS; e += WORKGROUP_SIZE) {
        const uint row = e % TILE_ROWS, first = run * RUN + e / TILE_ROWS * 16;
        uvec4 levels = uvec4(0);
        if (hasRow(row))
            for (uint k = 0; k < 4; ++k)
                levels[k] = packedBytes(levels4At(WEIGHT_TYPE, rowStart(row) + blockOffset, first + 4 * k));
        weightStep[e] = levels;
    }
    for (uint e = lane; e < RUN / SUB * TILE_ROWS; e += WORKGROUP_SIZE) {
        const uint row = e % TILE_ROWS, j = run * RUN / SUB + e / TILE_ROWS;
        subScales[e] = hasRow(row) ? subScaleAt(WEIGHT_TYPE, rowStart(row) + blockOffset, j) : 0;
        subMinimums[e] = hasRow(row) ? subMinimumAt(WEIGHT_TYPE, rowStart(row) + blockOffset, j) : 0;
    }
    if (run == 0) {
        for (uint row = lane; row < TILE_ROWS; row += WORKGROUP_SIZE) {
            blockScales[row] = hasRow(row) ? blockScaleAt(WEIGHT_TYPE, rowStart(row) + blockOffset) : 0.0;
            blockMinimums[row] = hasRow(row) ? blockMinimumAt(WEIGHT_TYPE, rowStart(row) + blockOffset) : 0.0;
        }
        for (uint token = lane; token < TILE_TOKENS; token += WORKGROUP_SIZE) {
            const uint xBlock = xBlockOf(token, b);
            const uint scale = shape.xOffset + scaleWordOf(shape.xBlocks, xBlock, BLOCK),
                       sum = shape.xOffset + sumWordOf(shape.xBlocks, xBlock, BLOCK, 0u);
            tokenScales[token] = hasToken(token) ? uintBitsToFloat(xWords[scale]) : 0.0;
            const bool hasSum = hasToken(token) && hasBlockMinimum(WEIGHT_TYPE);
            tokenBlockSums[token] = hasSum ? uintBitsToFloat(xWords[sum]) : 0.0;
        }
    }
    if (hasSubMinimum(WEIGHT_TYPE)) {
        // Q8_K keeps the sums of 16 quants: a 32-value sub-block adds two.
        for (uint e = lane; e < RUN / SUB * TILE_TOKENS; e += WORKGROUP_SIZE) {
            const uint token = e % TILE_TOKENS, j = run * RUN / SUB + e / TILE_TOKENS;
            const uint word = shape.xOffset + sumWordOf(shape.xBlocks, xBlockOf(token, b), BLOCK, j * SUB / 16u);
            quantSums[e] = !hasToken(token) ? 0
                           : SUB == 32u   ? int(xWords[word]) + int(xWords[word + 1u])
                                          : int(xWords[word]);
        }
    }
    for (uint e = lane; e < SLOTS * TILE_TOKENS; e += WORKGROUP_SIZE) {
        const uint token = e % TILE_TOKENS;
        uvec4 quants = uvec4(0);
        if (hasToken(token)) {
            const uint word =
                shape.xOffset + quantsWordOf(xBlockOf(token, b), BLOCK) + (run * RUN + e / TILE_TOKENS * 16) / 4;
            quants = uvec4(xWords[word], xWords[word + 1u], xWords[word + 2u], xWords[word + 3u]);
        }
        xStep[e] = quants;
    }
}

void quantizedProduct()
{
    const uint BLOCK = blockValuesOf(WEIGHT_TYPE), SUB = subBlockValuesOf(WEIGHT_TYPE);
    for (uint b = 0; b < shape.cols / BLOCK; ++b) {
        // The block's integer sums: dots[i][t] and minimums[i][t] of row i and token t.
        ivec4 dots[4] = ivec4[4](ivec4(0), ivec4(0), ivec4(0), ivec4(0));
        ivec4 minimums[4] = dots;
        for (uint run = 0; run < BLOCK / RUN; ++run) {
            barrier(); // the last run is multiplied, the last block's terms have read its constants
            stageQuantizedRun(b, run);
            barrier();
            for (uint j = 0; j < RUN / SUB; ++j) {
                // This sub-block's sums of row i and token t, integers held exactly in floats (below
                // 2^24 in magnitude). Matrices and vectors rather than arrays in loops: lavapipe kept
                // those in memory (2.5x slower).
                mat4 subDots = mat4(0.0);
                for (uint slot = j * SUB / 16; slot < (j + 1) * SUB / 16; ++slot) {
                    const uint w = slot * TILE_ROWS + rowGroup, q = slot * TILE_TOKENS + tokenGroup;
                    const uvec4 w0 = weightStep[w], w1 = weightStep[w + ROW_GROUPS],
                                w2 = weightStep[w + 2 * ROW_GROUPS], w3 = weightStep[w + 3 * ROW_GROUPS];
                    const uvec4 q0 = xStep[q], q1 = xStep[q + TOKEN_GROUPS], q2 = xStep[q + 2 * TOKEN_GROUPS],
                                q3 = xStep[q + 3 * TOKEN_GROUPS];
                    // Word k of each slot: 4 columns. (transpose(Q) * W)[i][t] = dot(W[i], Q[t]).
                    const mat4 qx = columnsOf(uvec4(q0.x, q1.x, q2.x, q3.x)), qy = columnsOf(uvec4(q0.y, q1.y, q2.y, q3.y)),
                               qz = columnsOf(uvec4(q0.z, q1.z, q2.z, q3.z)), qw = columnsOf(uvec4(q0.w, q1.w, q2.w, q3.w));
                    subDots += transpose(qx) * columnsOf(uvec4(w0.x, w1.x, w2.x, w3.x));
                    subDots += transpose(qy) * columnsOf(uvec4(w0.y, w1.y, w2.y, w3.y));
                    subDots += transpose(qz) * columnsOf(uvec4(w0.z, w1.z, w2.z, w3.z));
                    subDots += transpose(qw) * columnsOf(uvec4(w0.w, w1.w, w2.w, w3.w));
                }
                for (uint i = 0; i < 4; ++i)
                    dots[i] += subScales[j * TILE_ROWS + rowGroup + i * ROW_GROUPS] * ivec4(subDots[i]);
                if (hasSubMinimum(WEIGHT_TYPE)) {
                    const uint s = j * TILE_TOKENS + tokenGroup;
                    const ivec4 quantSum = ivec4(quantSums[s], quantSums[s + TOKEN_GROUPS],
                                                 quantSums[s + 2 * TOKEN_GROUPS], quantSums[s + 3 * TOKEN_GROUPS]);
                    for (uint i = 0; i < 4; ++i)
                        minimums[i] += subMinimums[j * TILE_ROWS + rowGroup + i * ROW_GROUPS] * quantSum;
                }
            }
        }
        for (uint i = 0; i < 4; ++i) {
            const uint row = rowGroup + i * ROW_GROUPS;
            for (uint t = 0; t < 4; ++t) {
                const uint token = tokenGroup + t * TOKEN_GROUPS;
                sums[i][t] += blockTerm(WEIGHT_TYPE, blockScales[row], blockMinimums[row], tokenScales[token],
                                        dots[i][t], minimums[i][t], tokenBlockSums[token]);
            }
        }
    }
}

// Float weights, 4 * SLOTS columns a step (the last step may be short).
void floatProduct()
{
    const uint lane = gl_LocalInvocationID.x, STEP = 4 * SLOTS;
    for (uint first = 0; first < shape.cols; first += STEP) {
        barrier(); // the last step is multiplied
        for (uint e = lane; e < SLOTS * TILE_ROWS; e += WORKGROUP_SIZE) {
            const uint row = e % TILE_ROWS, column = first + e / TILE_ROWS * 4;
            vec4 values = vec4(0.0);
            for (uint k = 0; k < 4; ++k)
                if (hasRow(row) && column + k < shape.cols)
                    values[k] = valueAt(WEIGHT_TYPE, rowStart(row), column + k);
            weightStep[e] = floatBitsToUint(values);
        }
        for (uint e = lane; e < SLOTS * TILE_TOKENS; e += WORKGROUP_SIZE) {
            const uint token = e % TILE_TOKENS, column = first + e / TILE_TOKENS * 4;
            vec4 values = vec4(0.0);
            for (uint k = 0; k < 4; ++k)
                if (hasToken(token) && column + k < shape.cols)
                    values[k] = uintBitsToFloat(xWords[xStart(token) + column + k]);
            xStep[e] = floatBitsToUint(values);
        }
        barrier();
        for (uint slot = 0; slot < SLOTS; ++slot) {
            vec4 w[4], q[4];
            for (uint i = 0; i < 4; ++i)
                w[i] = uintBitsToFloat(weightStep[slot * TILE_ROWS + rowGroup + i * ROW_GROUPS]);
            for (uint t = 0; t < 4; ++t)
                q[t] = uintBitsToFloat(xStep[slot * TILE_TOKENS + tokenGroup + t * TOKEN_GROUPS]);
            for (uint i = 0; i < 4; ++i)
                for (uint t = 0; t < 4; ++t)
                    sums[i][t] += dot(w[i], q[t]);
        }
    }
}

void main()
{
    row0 = gl_WorkGroupID.x * TILE_ROWS;
    token0 = gl_WorkGroupID.y * TILE_TOKENS;
    rowGroup = gl_LocalInvocationID.x % ROW_GROUPS;
    tokenGroup = gl_LocalInvocationID.x / ROW_GROUPS;
#ifdef EXPERTS
    const uint tile = gl_WorkGroupID.y, first = groups[4 * tile + 1];
    tileTokens = groups[4 * tile + 2];
    if (tileTokens == 0 || row0 >= shape.matrixRows) // past the batch's tiles or the matrix's rows
        return;
    expertRow0 = groups[4 * tile] * shape.matrixRows;
    for (uint token = gl_LocalInvocationID.x; token < tileTokens; token += WORKGROUP_SIZE) {
        const uint pair = groups[shape.orderOffset + first + token];
        xRows[token] = pair / shape.pairsPerXRow;
        outputRows[token] = pair;
    }
    barrier();
#endif
    sums = mat4(0.0);
    if (isFloatType(WEIGHT_TYPE))
        floatProduct();
    else
        quantizedProduct();
    for (uint i = 0; i < 4; ++i) {
        const uint row = rowGroup + i * ROW_GROUPS;
        for (uint t = 0; t < 4; ++t) {
            const uint token = tokenGroup + t * TOKEN_GROUPS;
            if (hasRow(row) && hasToken(token))
                y[outputIndex(row, token)] = sums[i][t];
        }
    }
}
