#include "engine/session/session.h"

#include "engine/core/error.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent {

Session::Session(Model& model, SessionOptions options) : model_(model), options_(options)
{
    if (options_.contextLength <= 0)
        options_.contextLength = model.info().contextLength;
    if (options_.batchSize <= 0)
        throw Error("the batch size must be at least 1");
    cache_ = model_.createCache(options_.contextLength);
}

bool Session::evaluate(std::span<const int32_t> tokens, Model::Logits which, std::vector<float>& logits,
                       const std::atomic<bool>* cancel)
{
    if (tokens.empty())
        throw Error("nothing to evaluate: the prompt has no tokens");
    if (position() + int64_t(tokens.size()) > capacity())
        throw Error(fmt::format("the context is full: {} tokens do not fit after the {} of {} positions in use; "
                                "start a new conversation or choose a larger context size",
                                tokens.size(), position(), capacity()));
    logits.clear();
    std::vector<float> batchLogits;
    for (size_t first = 0; first < tokens.size(); first += size_t(options_.batchSize)) {
        if (cancel && cancel->load())
            return false;
        const size_t count = std::min(tokens.size() - first, size_t(options_.batchSize));
        const bool lastBatch = first + count == tokens.size();
        // Only the last batch's last logits are needed unless every position's are.
        const Model::Logits wanted = which == Model::Logits::All || lastBatch ? which : Model::Logits::None;
        model_.forward(cache_, tokens.subspan(first, count), position(), wanted, batchLogits);
        logits.insert(logits.end(), batchLogits.begin(), batchLogits.end());
        tokens_.insert(tokens_.end(), tokens.begin() + std::ptrdiff_t(first),
                       tokens.begin() + std::ptrdiff_t(first + count));
    }
    return true;
}

void Session::truncate(int64_t position)
{
    if (position < 0 || position > this->position())
        throw Error(fmt::format("cannot keep {} tokens of a session that holds {}", position, this->position()));
    tokens_.resize(size_t(position));
}

int64_t Session::sharedPrefix(std::span<const int32_t> prompt) const
{
    return std::mismatch(tokens_.begin(), tokens_.end(), prompt.begin(), prompt.end()).first - tokens_.begin();
}

} // namespace latent
