#include "engine/session/generator.h"

namespace latent {

GenerationResult generate(Session& session, const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> prompt,
                          const GenerationOptions& options, const PieceCallback& onPiece,
                          const std::atomic<bool>* cancel)
{
    Generation generation(session, tokenizer, options);
    if (!generation.start(prompt, cancel))
        return generation.result();
    while (!generation.finished()) {
        const std::string piece = cancel && cancel->load() ? generation.cancel() : generation.step();
        if (!piece.empty() && onPiece)
            onPiece(piece);
    }
    return generation.result();
}

} // namespace latent
