#pragma once

// A block of a weight matrix's rows against activation rows that were prepared beforehand, so
// that several matrices (the experts of an MoE layer, the products of one input) can share one
// parallel loop: the loop's items are (matrix, block of rows), and each item calls the same kernels
// matmul() calls, on the same groups of rows and tokens, so its results are matmul()'s to the bit.

#include "engine/backend/backend.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/quantized_activations.h"
#include "engine/backend/cpu/thread_pool.h"

#include <cstddef>
#include <vector>

namespace latent::cpu {

// How the quantized products call the block kernels, in matmul() and here alike: kRowsPerCall
// weight rows (WeightRows) against kTokenBlock activation rows per call, a block of rows reused
// from the cache across the block of tokens.
inline constexpr size_t kRowsPerCall = 8;
inline constexpr size_t kTokenBlock = 16;
// Rows per item of such a loop: whole groups of the interleaved (16) and block (8) kernels.
inline constexpr size_t kRowBlock = 32;

// The items of a loop over (matrix, block of kRowBlock rows) of some matrices, matrix after matrix,
// so that a thread's contiguous share of the loop streams its matrices' rows in order.
class RowBlockItems {
public:
    // The next matrix, of `rows` rows.
    void add(size_t rows);
    size_t count() const { return firstItem_.back(); }

    struct Item {
        size_t matrix;   // in the order added
        size_t firstRow; // a multiple of kRowBlock
        size_t rows;     // kRowBlock, or fewer in a matrix's last block
    };
    Item operator[](size_t item) const;

private:
    std::vector<size_t> firstItem_{0}; // matrix i's items are [firstItem_[i], firstItem_[i + 1])
    std::vector<size_t> rows_;
};

// The activation formats the products with some weights need (add each weight once).
struct ActivationNeeds {
    bool blocks = false;      // 32-value blocks
    bool sums = false;        // ... with each block's sum of quants (interleaved Q4_0, Q8_0)
    bool sumScales = false;   // ... with each block's blockSumScales (Q4_1, Q5_1)
    bool superBlocks = false; // 256-value super-blocks (K-quants, IQ4_XS; interleaved or not)

    // Throws naming the type where the CPU backend cannot multiply it.
    void add(const DotKernels& kernels, const Tensor& weight);
};

// Activation rows (row t at floats + t * cols) and, as needed, their quantized forms.
struct PreparedActivations {
    const float* floats = nullptr;
    size_t cols = 0;
    QuantizedRows blocks{};
    QuantizedActivations::SuperBlockRows superBlocks{};
};

// Quantizes rows x (rows of cols floats) in the formats needs names, into blockStore and
// superBlockStore (kept until their next use), each over the pool in one loop.
PreparedActivations prepareActivations(const DotKernels& kernels, ThreadPool& pool, const ActivationNeeds& needs,
                                       QuantizedActivations& blockStore, QuantizedActivations& superBlockStore,
                                       const float* x, size_t rows, size_t cols);

// Rows [firstRow, firstRow + rowCount) of weight (whole groups of its kernel: 16 rows interleaved,
// kRowsPerCall otherwise, but for the matrix's last rows; a multiple of kRowBlock is both) against the
// activation rows [firstToken, firstToken + tokens) of x: row r, token t to
// out[(t - firstToken) * outStride + r]. Runs on the calling thread.
void productRowBlock(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
                     const PreparedActivations& x, size_t firstToken, size_t tokens, float* out, size_t outStride);

// Rows [firstRow, firstRow + rowCount) of a float weight (F32, F16, BF16) against `tokens`
// activation rows at x, xStride floats apart: row r, token t to out[t * outStride + r]. Runs on the
// calling thread.
void floatRowsProduct(const DotKernels& kernels, const Tensor& weight, size_t firstRow, size_t rowCount,
                      const float* x, size_t xStride, size_t tokens, float* out, size_t outStride);

} // namespace latent::cpu
