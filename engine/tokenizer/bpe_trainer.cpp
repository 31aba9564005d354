#include "engine/tokenizer/bpe_trainer.h"

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/pre_tokenizer.h"

#include <map>
#include <unordered_map>

namespace latent::tokenizer {

TrainedBpe trainBpe(std::string_view corpus, std::string_view preTokenizerName, size_t vocabularySize)
{
    TrainedBpe result;
    std::vector<std::string> bytesOf; // each token's raw bytes
    std::unordered_map<std::string, int32_t> idOfBytes;
    for (int byte = 0; byte < 256; ++byte) {
        bytesOf.emplace_back(1, char(byte));
        idOfBytes.emplace(bytesOf.back(), byte);
        result.tokens.push_back(toByteLevel(bytesOf.back()));
    }

    // Distinct pieces with their counts, each as a sequence of token ids.
    std::vector<std::string_view> pieces;
    PreTokenizer::forName(preTokenizerName).split(corpus, pieces);
    std::map<std::string_view, int> pieceCounts;
    for (std::string_view piece : pieces)
        ++pieceCounts[piece];
    std::vector<std::pair<std::vector<int32_t>, int>> words;
    for (const auto& [piece, count] : pieceCounts) {
        std::vector<int32_t> symbols;
        for (char c : piece)
            symbols.push_back(static_cast<unsigned char>(c));
        words.emplace_back(std::move(symbols), count);
    }

    while (result.tokens.size() < vocabularySize) {
        std::map<std::pair<int32_t, int32_t>, int> pairCounts;
        for (const auto& [symbols, count] : words) {
            for (size_t i = 0; i + 1 < symbols.size(); ++i)
                pairCounts[{symbols[i], symbols[i + 1]}] += count;
        }
        const std::pair<int32_t, int32_t>* best = nullptr;
        int bestCount = 1;
        std::string bestBytes;
        for (const auto& [pair, count] : pairCounts) {
            const std::string bytes = bytesOf[size_t(pair.first)] + bytesOf[size_t(pair.second)];
            if (count > bestCount || (count == bestCount && best && bytes < bestBytes)) {
                best = &pair;
                bestCount = count;
                bestBytes = bytes;
            }
        }
        if (!best)
            break; // no pair occurs twice
        const auto [left, right] = *best;
        result.merges.push_back(result.tokens[size_t(left)] + " " + result.tokens[size_t(right)]);
        // Two merge paths can spell the same bytes ("ab c", "a bc"): one token serves both.
        auto [existing, added] = idOfBytes.try_emplace(bestBytes, int32_t(result.tokens.size()));
        const int32_t merged = existing->second;
        if (added) {
            result.tokens.push_back(toByteLevel(bestBytes));
            bytesOf.push_back(bestBytes);
        }
        for (auto& [symbols, count] : words) {
            std::vector<int32_t> next;
            for (size_t i = 0; i < symbols.size(); ++i) {
                if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
                    next.push_back(merged);
                    ++i;
                } else {
                    next.push_back(symbols[i]);
                }
            }
            symbols = std::move(next);
        }
    }
    return result;
}

} // namespace latent::tokenizer
