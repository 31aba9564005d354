// Causal attention of a tile of TILE_ROWS queries that read the same keys and values (a prompt's
// tokens times the query heads of one key/value head; in MLA every head), shared by attention.comp
// and mla_attention.comp, which differ only in where queries, keys and values lie. Every chunk of
// KEY_CHUNK keys is staged in shared memory once for the whole tile, KEY_SLICE_PAIRS pairs of
// values at a time, and each invocation computes SCORE_ROWS x SCORE_KEYS scores from it. The
// softmax takes two passes over the keys, so any length fits and the weights are the CPU's: pass 1
// the maximum score and the sum of exp(score - maximum) of every query; pass 2 the weights
// exp(score - maximum) / sum rounded to F16 (as the queries are) before they meet the F16 values,
// as the CPU backend (and llama.cpp) compute it.
//
// Where a dispatch has too few workgroups to keep a GPU busy (a decode: one tile per key/value
// head), the keys are split between workgroups (split-K, as FlashDecoding): PASS_SPLIT_TOTALS gives
// each split's maximum and sum per row, PASS_SPLIT_VALUES combines them in the order of the splits
// (every workgroup alike) and weights its keys' values exactly as the whole pass would, and
// PASS_SPLIT_SUM adds the splits' weighted values in their order. So the result is deterministic,
// and the weights are the CPU's (rounded to F16 from the global maximum and sum).
//
// The including shader declares `scratch`, a float buffer the split passes write and read, and
// defines, for rows 0 .. rows - 1 of its tile (tileOfWorkgroup()):
//   uint queryPair(uint row, uint pair): the F16 bits of the query's values 2 pair, 2 pair + 1;
//   uint visibleKeys(uint row): keys 0 .. visibleKeys(row) - 1 are visible to the row (causality);
//   uint keyPair(uint key, uint pair), uint valuePair(uint key, uint pair): cache words (two F16s);
//   void storeOutput(uint row, uint pair, vec2 values): the attention's result;
//   uint keySplits(), uint splitKeys(): the split passes' splits per tile and keys per split.

#include "half_float.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_SIZE = 64; // = ROW_LANES x KEY_LANES = OUT_ROW_LANES x OUT_PAIR_LANES
layout(constant_id = 1) const uint TILE_ROWS = 16;
layout(constant_id = 2) const uint ROW_LANES = 8;       // scores: invocations across the rows, divides TILE_ROWS
layout(constant_id = 3) const uint KEY_CHUNK = 32;      // keys staged at a time, a multiple of KEY_LANES
layout(constant_id = 4) const uint OUT_ROW_LANES = 4;   // weighted values: invocations across the rows, divides TILE_ROWS
layout(constant_id = 5) const uint MAX_KEY_PAIRS = 64;  // >= the pairs of a query or key (queries are staged whole)
layout(constant_id = 6) const uint MAX_VALUE_PAIRS = 64; // >= the pairs of a value, a multiple of OUT_PAIR_LANES
layout(constant_id = 7) const uint KEY_SLICE_PAIRS = 32; // pairs of each key staged at a time
layout(constant_id = 8) const uint PASS = 0;             // PASS_WHOLE or a pass of split keys

const uint PASS_WHOLE = 0;        // a workgroup per tile walks all its keys
const uint PASS_SPLIT_TOTALS = 1; // a workgroup per (tile, split): its keys' totals per row, to scratch
const uint PASS_SPLIT_VALUES = 2; // a workgroup per (tile, split): its keys' weighted values, to scratch
const uint PASS_SPLIT_SUM = 3;    // a workgroup per tile: the splits' weighted values added, to the output
const bool SPLIT_WORKGROUPS = PASS == PASS_SPLIT_TOTALS || PASS == PASS_SPLIT_VALUES;

const uint KEY_LANES = WORKGROUP_SIZE / ROW_LANES;
const uint SCORE_ROWS = TILE_ROWS / ROW_LANES;  // an invocation's rows rowLane + ROW_LANES a
const uint SCORE_KEYS = KEY_CHUNK / KEY_LANES;  // and keys keyLane + KEY_LANES b of a chunk
const uint OUT_PAIR_LANES = WORKGROUP_SIZE / OUT_ROW_LANES;
const uint OUT_ROWS = TILE_ROWS / OUT_ROW_LANES;        // an invocation's rows outRowLane + OUT_ROW_LANES a
const uint OUT_PAIRS = MAX_VALUE_PAIRS / OUT_PAIR_LANES; // and value pairs pairLane + OUT_PAIR_LANES i
// A tile of one query (a decode without GQA) shares no key: it reads them where they lie, without
// the barriers of staging, each invocation a key at a time (rowChunkScores).
const bool STAGED_KEYS = TILE_ROWS > 1;

// One word of padding a row, so that invocations reading the same column of different rows meet
// different banks.
shared uint queryTile[TILE_ROWS * (MAX_KEY_PAIRS + 1)];  // F16 pairs (row, pair)
shared uint keyTile[STAGED_KEYS ? KEY_CHUNK * (KEY_SLICE_PAIRS + 1) : 1]; // F16 pairs (key of the chunk, pair of the slice)
shared float weightTile[TILE_ROWS * KEY_CHUNK];         // (row, key of the chunk)
shared float partialMax[TILE_ROWS * KEY_LANES], partialSum[TILE_ROWS * KEY_LANES]; // (row, keyLane)
shared float rowMax[TILE_ROWS], rowSum[TILE_ROWS];
shared uint rowVisible[TILE_ROWS];

uint queryPair(uint row, uint pair);
uint visibleKeys(uint row);
uint keyPair(uint key, uint pair);
uint valuePair(uint key, uint pair);
void storeOutput(uint row, uint pair, vec2 values);
uint keySplits();
uint splitKeys();

// Workgroup x is the tile, or in the split passes tile * keySplits() + split; workgroup y is the
// including shader's (attention: the key/value head).
uint tileOfWorkgroup() { return SPLIT_WORKGROUPS ? gl_WorkGroupID.x / keySplits() : gl_WorkGroupID.x; }
uint splitOfWorkgroup() { return SPLIT_WORKGROUPS ? gl_WorkGroupID.x % keySplits() : 0u; }

// scratch: the totals (maximum, sum) of every (tile row, split) entry, then the weighted values
// (valuePairs pairs) of every entry; an entry is ((y, tile), row, split).
uint scratchEntry(uint row, uint split)
{
    const uint tiles = gl_NumWorkGroups.x / (SPLIT_WORKGROUPS ? keySplits() : 1u);
    return ((gl_WorkGroupID.y * tiles + tileOfWorkgroup()) * TILE_ROWS + row) * keySplits() + split;
}
uint scratchValues(uint row, uint split, uint pair, uint valuePairs)
{
    const uint entries = gl_NumWorkGroups.y * gl_NumWorkGroups.x / (SPLIT_WORKGROUPS ? keySplits() : 1u) *
                         TILE_ROWS * keySplits();
    return 2 * entries + 2 * (scratchEntry(row, split) * valuePairs + pair);
}

// This invocation's scaled scores of the current chunk of keys (a global: glslang cannot pass an
// array sized by specialization constants).
float score[SCORE_ROWS * SCORE_KEYS];

uint rowLane() { return gl_LocalInvocationID.x % ROW_LANES; }
uint keyLane() { return gl_LocalInvocationID.x / ROW_LANES; }

// Stages the tile's queries and the keys each row sees (rows from `rows` on: none); returns how
// many keys the tile reads.
uint stageQueries(uint rows, uint keyPairs)
{
    for (uint i = gl_LocalInvocationID.x; i < TILE_ROWS * MAX_KEY_PAIRS; i += WORKGROUP_SIZE) {
        const uint row = i / MAX_KEY_PAIRS, pair = i % MAX_KEY_PAIRS;
        queryTile[row * (MAX_KEY_PAIRS + 1) + pair] = row < rows && pair < keyPairs ? queryPair(row, pair) : 0u;
    }
    if (gl_LocalInvocationID.x < TILE_ROWS)
        rowVisible[gl_LocalInvocationID.x] = gl_LocalInvocationID.x < rows ? visibleKeys(gl_LocalInvocationID.x) : 0u;
    barrier();
    uint keys = 0;
    for (uint row = 0; row < TILE_ROWS; ++row)
        keys = max(keys, rowVisible[row]);
    return keys;
}

// The slots b of score that hold keys of the chunk from j0 (0 .. end - 1): a one-row tile's chunk
// holds many, most of them empty in a short context.
uint chunkSlots(uint j0, uint end) { return (min(KEY_CHUNK, end - j0) + KEY_LANES - 1) / KEY_LANES; }

// chunkScores of a one-row tile: only the slots that hold keys of the chunk (the rest keep what
// they held), each key's sum over its pairs in the order of the staged tiles'. An invocation past
// the last key leaves the loop at once, so that a group of them with no key skips it.
void rowChunkScores(uint j0, uint end, uint keyPairs, float scale)
{
    for (uint b = 0; b < SCORE_KEYS; ++b) {
        if (b == chunkSlots(j0, end))
            break;
        const uint j = j0 + keyLane() + KEY_LANES * b;
        float sum = 0.0;
        for (uint pair = 0; j < end && pair < keyPairs; ++pair) {
            const vec2 query = unpackHalf2x16(queryTile[pair]), key = unpackHalf2x16(keyPair(j, pair));
            sum += query.x * key.x + query.y * key.y;
        }
        score[b] = sum * scale;
    }
}

// score[a * SCORE_KEYS + b]: row rowLane + ROW_LANES a and key j0 + keyLane + KEY_LANES b of the
// chunk of keys from j0 (keys from `end` on read as zeros, or in a one-row tile left as they were).
// Every invocation must call it.
void chunkScores(uint j0, uint end, uint keyPairs, float scale)
{
    if (!STAGED_KEYS) {
        rowChunkScores(j0, end, keyPairs, scale);
        return;
    }
    for (uint i = 0; i < SCORE_ROWS * SCORE_KEYS; ++i)
        score[i] = 0.0;
    for (uint p0 = 0; p0 < keyPairs; p0 += KEY_SLICE_PAIRS) {
        const uint slice = min(KEY_SLICE_PAIRS, keyPairs - p0);
        barrier(); // the previous slice and the previous chunk's weights have been read
        for (uint i = gl_LocalInvocationID.x; i < KEY_CHUNK * KEY_SLICE_PAIRS; i += WORKGROUP_SIZE) {
            const uint key = i / KEY_SLICE_PAIRS, pair = i % KEY_SLICE_PAIRS;
            keyTile[key * (KEY_SLICE_PAIRS + 1) + pair] =
                j0 + key < end && pair < slice ? keyPair(j0 + key, p0 + pair) : 0u;
        }
        barrier();
        for (uint pair = 0; pair < slice; ++pair) {
            vec2 key[SCORE_KEYS];
            for (uint b = 0; b < SCORE_KEYS; ++b)
                key[b] = unpackHalf2x16(keyTile[(keyLane() + KEY_LANES * b) * (KEY_SLICE_PAIRS + 1) + pair]);
            for (uint a = 0; a < SCORE_ROWS; ++a) {
                const vec2 query = unpackHalf2x16(queryTile[(rowLane() + ROW_LANES * a) * (MAX_KEY_PAIRS + 1) + p0 + pair]);
                for (uint b = 0; b < SCORE_KEYS; ++b)
                    score[a * SCORE_KEYS + b] += query.x * key[b].x + query.y * key[b].y;
            }
        }
    }
    for (uint i = 0; i < SCORE_ROWS * SCORE_KEYS; ++i)
        score[i] *= scale;
}

// Adds the totals of some keys, their maximum score partMax and sum of exp(score - partMax), to
// the totals (m, sum) of others.
void addTotals(inout float m, inout float sum, float partMax, float partSum)
{
    if (partSum == 0.0)
        return;
    if (partMax > m) {
        sum = sum * exp(m - partMax) + partSum;
        m = partMax;
    } else {
        sum += partSum * exp(partMax - m);
    }
}

// Pass 1: rowMax and rowSum of every row over keys begin .. end - 1, each invocation online over
// its keys, then its KEY_LANES partial totals combined in a fixed order.
void softmaxTotals(uint begin, uint end, uint keyPairs, float scale)
{
    float localMax[SCORE_ROWS], localSum[SCORE_ROWS];
    for (uint a = 0; a < SCORE_ROWS; ++a) {
        localMax[a] = -1.0 / 0.0;
        localSum[a] = 0.0;
    }
    for (uint j0 = begin; j0 < end; j0 += KEY_CHUNK) {
        chunkScores(j0, end, keyPairs, scale);
        for (uint a = 0; a < SCORE_ROWS; ++a) {
            const uint visible = min(rowVisible[rowLane() + ROW_LANES * a], end);
            for (uint b = 0; b < SCORE_KEYS; ++b) {
                if (b == chunkSlots(j0, end))
                    break;
                if (j0 + keyLane() + KEY_LANES * b < visible)
                    addTotals(localMax[a], localSum[a], score[a * SCORE_KEYS + b], 1.0);
            }
        }
    }
    for (uint a = 0; a < SCORE_ROWS; ++a) {
        partialMax[(rowLane() + ROW_LANES * a) * KEY_LANES + keyLane()] = localMax[a];
        partialSum[(rowLane() + ROW_LANES * a) * KEY_LANES + keyLane()] = localSum[a];
    }
    barrier();
    const uint row = gl_LocalInvocationID.x;
    if (row < TILE_ROWS) {
        float m = -1.0 / 0.0, sum = 0.0;
        for (uint i = 0; i < KEY_LANES; ++i)
            addTotals(m, sum, partialMax[row * KEY_LANES + i], partialSum[row * KEY_LANES + i]);
        rowMax[row] = m;
        rowSum[row] = sum;
    }
    barrier();
}

// PASS_SPLIT_TOTALS' result: this split's rowMax and rowSum.
void storeSplitTotals()
{
    const uint row = gl_LocalInvocationID.x;
    if (row < TILE_ROWS) {
        const uint at = 2 * scratchEntry(row, splitOfWorkgroup());
        scratch[at] = rowMax[row];
        scratch[at + 1] = rowSum[row];
    }
}

// PASS_SPLIT_VALUES' pass 1: rowMax and rowSum of all the keys, from the splits' totals.
void combineSplitTotals()
{
    const uint row = gl_LocalInvocationID.x;
    if (row < TILE_ROWS) {
        float m = -1.0 / 0.0, sum = 0.0;
        for (uint split = 0; split < keySplits(); ++split) {
            const uint at = 2 * scratchEntry(row, split);
            addTotals(m, sum, scratch[at], scratch[at + 1]);
        }
        rowMax[row] = m;
        rowSum[row] = sum;
    }
    barrier();
}

// Pass 2: every row's weighted values of keys begin .. end - 1 (to the output, or in
// PASS_SPLIT_VALUES to scratch); invocation (outRowLane, pairLane) owns rows outRowLane +
// OUT_ROW_LANES a and value pairs pairLane + OUT_PAIR_LANES i. Where pass 1 walked the keys in one
// chunk (softmaxTotals, not the splits' totals), score still holds their scores.
void weightedValues(uint rows, uint begin, uint end, uint keyPairs, uint valuePairs, float scale)
{
    const uint outRowLane = gl_LocalInvocationID.x % OUT_ROW_LANES, pairLane = gl_LocalInvocationID.x / OUT_ROW_LANES;
    const bool scored = PASS == PASS_WHOLE && end - begin <= KEY_CHUNK;
    vec2 acc[OUT_ROWS * OUT_PAIRS];
    for (uint i = 0; i < OUT_ROWS * OUT_PAIRS; ++i)
        acc[i] = vec2(0.0);
    for (uint j0 = begin; j0 < end; j0 += KEY_CHUNK) {
        if (!scored) {
            chunkScores(j0, end, keyPairs, scale);
            if (!STAGED_KEYS)
                barrier(); // the previous chunk's weights have been read (else staging waited for that)
        }
        for (uint a = 0; a < SCORE_ROWS; ++a) {
            const uint row = rowLane() + ROW_LANES * a;
            for (uint b = 0; b < SCORE_KEYS; ++b) {
                if (b == chunkSlots(j0, end))
                    break; // the value loop reads no weight of a key past the chunk's end
                const uint key = keyLane() + KEY_LANES * b;
                weightTile[row * KEY_CHUNK + key] = j0 + key < min(rowVisible[row], end)
                    ? roundedToHalf(exp(score[a * SCORE_KEYS + b] - rowMax[row]) / rowSum[row]) : 0.0;
            }
        }
        barrier();
        const uint count = min(KEY_CHUNK, end - j0);
        for (uint key = 0; key < count; ++key) {
            for (uint i = 0; i < OUT_PAIRS; ++i) {
                const uint pair = pairLane + OUT_PAIR_LANES * i;
                if (pair >= valuePairs)
                    break;
                // The hardware's F16 conversion: exact but where a driver flushes a subnormal F16
                // (below 6.1e-5), too small to move a weighted sum beyond the test's bar.
                const vec2 value = unpackHalf2x16(valuePair(j0 + key, pair));
                for (uint a = 0; a < OUT_ROWS; ++a)
                    acc[a * OUT_PAIRS + i] += weightTile[(outRowLane + OUT_ROW_LANES * a) * KEY_CHUNK + key] * value;
            }
        }
    }
    for (uint a = 0; a < OUT_ROWS; ++a) {
        const uint row = outRowLane + OUT_ROW_LANES * a;
        for (uint i = 0; i < OUT_PAIRS; ++i) {
            const uint pair = pairLane + OUT_PAIR_LANES * i;
            if (row >= rows || pair >= valuePairs)
                continue;
            if (PASS == PASS_SPLIT_VALUES) {
                const uint at = scratchValues(row, splitOfWorkgroup(), pair, valuePairs);
                scratch[at] = acc[a * OUT_PAIRS + i].x;
                scratch[at + 1] = acc[a * OUT_PAIRS + i].y;
            } else {
                storeOutput(row, pair, acc[a * OUT_PAIRS + i]);
            }
        }
    }
}

// PASS_SPLIT_SUM: every row's weighted values, the splits' added in their order.
void sumSplits(uint rows, uint valuePairs)
{
    for (uint i = gl_LocalInvocationID.x; i < rows * valuePairs; i += WORKGROUP_SIZE) {
        const uint row = i / valuePairs, pair = i % valuePairs;
        vec2 sum = vec2(0.0);
        for (uint split = 0; split < keySplits(); ++split) {
            const uint at = scratchValues(row, split, pair, valuePairs);
            sum += vec2(scratch[at], scratch[at + 1]);
        }
        storeOutput(row, pair, sum);
    }
}

// The tile, rows 0 .. rows - 1 (at most TILE_ROWS) of queries keyPairs pairs wide, in this
// shader's PASS.
void attendTile(uint rows, uint keyPairs, uint valuePairs, float scale)
{
    if (PASS == PASS_SPLIT_SUM) {
        sumSplits(rows, valuePairs);
        return;
    }
    const uint keys = stageQueries(rows, keyPairs);
    const uint begin = min(splitOfWorkgroup() * splitKeys(), keys);
    const uint end = PASS == PASS_WHOLE ? keys : min(begin + splitKeys(), keys);
    if (PASS == PASS_SPLIT_VALUES)
        combineSplitTotals();
    else
        softmaxTotals(begin, end, keyPairs, scale);
    if (PASS == PASS_SPLIT_TOTALS)
        storeSplitTotals();
    else
        weightedValues(rows, begin, end, keyPairs, valuePairs, scale);
}
