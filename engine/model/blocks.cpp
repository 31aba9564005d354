#include "engine/model/blocks.h"

#include "engine/core/error.h"

#include <fmt/format.h>

namespace latent {

void checkTokens(std::span<const int32_t> tokens, int64_t vocabularySize)
{
    for (int32_t token : tokens) {
        if (token < 0 || token >= vocabularySize)
            throw Error(fmt::format("token id {} is outside the vocabulary of {} tokens", token, vocabularySize));
    }
}

void FeedForward::apply(Backend& backend, Tensor& out, const Tensor& x, Tensor& gateScratch, Tensor& upScratch) const
{
    backend.matmul(gateScratch, gate, x);
    backend.matmul(upScratch, up, x);
    backend.swiglu(gateScratch, gateScratch, upScratch);
    backend.matmul(out, down, gateScratch);
}

void OutputHead::apply(Backend& backend, const Tensor& x, Model::Logits which, Tensor& normScratch,
                       Tensor& logitsScratch, std::vector<float>& logits) const
{
    if (which == Model::Logits::None) {
        backend.synchronize();
        logits.clear();
        return;
    }
    const int64_t first = which == Model::Logits::All ? 0 : x.rows - 1;
    const int64_t count = x.rows - first;
    Tensor lastNorm = normScratch.rowsView(first, count);
    backend.rmsNorm(lastNorm, x.rowsView(first, count), norm, rmsEpsilon);
    Tensor out = logitsScratch.rowsView(0, count);
    backend.matmul(out, output, lastNorm);
    backend.synchronize();
    logits.resize(size_t(count * output.rows));
    backend.read(out, logits);
}

} // namespace latent
