// Products of one input in one parallel loop (matmuls). A decoding step's products are
// matrix-vector products of a few megabytes each, and every parallel loop costs a start (the
// workers see it and wake) and an end (the caller waits for the last thread), more of both the
// more threads there are. A layer's queries, keys and values, or its gate and up, as one loop over
// (matrix, block of rows) start and end once: a llama layer's decoding runs 4 parallel loops
// instead of 7. Matrix after matrix, so that a thread's share streams one matrix at a time: gate
// and up taken in turns by blocks of rows (SwiGLU's rows together) decoded 5% slower on 2 cores.
// Each block runs the kernels matmul() runs on the same rows (row_block_product.h), so the results
// are matmul()'s to the bit.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/row_block_product.h"
#include "engine/backend/cpu/tensor_access.h"

namespace latent::cpu {
namespace {

// Batches of up to this many tokens (decoding) run products of one input as one loop. Longer ones
// (prompts) run matmul() after matmul(): its token blocks keep activations in cache, and its
// loops are long enough that their start costs nothing.
constexpr int64_t kOneLoopTokens = 8;

} // namespace

void CpuBackend::matmuls(std::span<const Product> products, const Tensor& x)
{
    for (const Product& product : products)
        require(matmulArgumentsFit(*product.out, *product.weight, x), "matmuls", "shapes do not match");
    if (x.rows > kOneLoopTokens) {
        Backend::matmuls(products, x);
        return;
    }
    ActivationNeeds needs;
    RowBlockItems items;
    for (const Product& product : products) {
        needs.add(kernels_, *product.weight);
        items.add(size_t(product.weight->rows));
    }
    const PreparedActivations prepared = prepareActivations(kernels_, pool_, needs, activations_, activationSuperBlocks_,
                                                            floats(x), size_t(x.rows), size_t(x.cols));
    pool_.parallelFor(items.count(), 1, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const RowBlockItems::Item item = items[i];
            const Product& product = products[item.matrix];
            productRowBlock(kernels_, *product.weight, item.firstRow, item.rows, prepared, 0, size_t(x.rows),
                            floats(*product.out), size_t(product.out->cols));
        }
    });
}

} // namespace latent::cpu
