#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace latent {

// What one kind of operation cost over a stretch of forward passes.
struct OperationCost {
    int64_t calls = 0;
    double seconds = 0;
    double weightBytes = 0; // bytes of weights read (matmul, moe); 0 for the others
};

// Operation kind ("rmsNorm", "matmul Q4_0", ...) -> its cost, in name order.
using OperationProfile = std::map<std::string, OperationCost>;

} // namespace latent
