#include "engine/model/blocks.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/model_weights.h"

#include <fmt/format.h>

namespace latent {

ModelInfo describeModel(const gguf::GgufFile& file, std::string architecture, int64_t vocabularySize,
                        int64_t contextLength, int64_t embeddingLength, int64_t blocks, uint64_t cacheBytesPerToken)
{
    ModelInfo info;
    info.architecture = std::move(architecture);
    info.name = file.metadata().getOptional<std::string>("general.name").value_or("");
    info.vocabularySize = vocabularySize;
    info.contextLength = contextLength;
    info.embeddingLength = embeddingLength;
    info.blocks = blocks;
    info.parameters = file.parameterCount();
    info.cacheBytesPerToken = cacheBytesPerToken;
    return info;
}

std::vector<int32_t> tokenPositions(std::span<const int32_t> tokens, int64_t vocabularySize, int64_t firstPosition)
{
    std::vector<int32_t> positions;
    for (int32_t token : tokens) {
        if (token < 0 || token >= vocabularySize)
            throw Error(fmt::format("token id {} is outside the vocabulary of {} tokens", token, vocabularySize));
        positions.push_back(int32_t(firstPosition + int64_t(positions.size())));
    }
    return positions;
}

void FeedForward::apply(Backend& backend, Tensor& out, const Tensor& x, Tensor& gateScratch, Tensor& upScratch) const
{
    const Product gateAndUp[] = {{&gateScratch, &gate}, {&upScratch, &up}};
    backend.matmuls(gateAndUp, x);
    backend.swiglu(gateScratch, gateScratch, upScratch);
    backend.matmul(out, down, gateScratch);
}

OutputHead OutputHead::load(WeightLoader& load, const Tensor& tokenEmbedding, float rmsEpsilon)
{
    const int64_t e = tokenEmbedding.cols;
    return {load.vector("output_norm.weight", e),
            load.contains("output.weight") ? load.matrix("output.weight", e, tokenEmbedding.rows) : tokenEmbedding,
            rmsEpsilon};
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
    logits.resize(size_t(count * output.rows));
    backend.read(out, logits); // runs what was recorded: on a GPU the pass and its read-back in one submission
}

} // namespace latent
