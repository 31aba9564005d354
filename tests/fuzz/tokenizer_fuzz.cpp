// libFuzzer target: any bytes encode (with and without special tokens) and decode back to the
// same bytes, and the streaming decoder turns their tokens into valid UTF-8. Uses the real
// DeepSeek-V3 tokenizer from ../shared (LATENT_SHARED_DIR overrides where that is).

#include "engine/tokenizer/stream_decoder.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/utf8.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {
std::unique_ptr<latent::tokenizer::Tokenizer> g_tokenizer;
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    const char* shared = std::getenv("LATENT_SHARED_DIR");
    const std::string path = std::string(shared ? shared : LATENT_SHARED_DIR) + "/data/tokenizer/deepseek-v3/tokenizer.json";
    g_tokenizer = std::make_unique<latent::tokenizer::Tokenizer>(latent::tokenizer::Tokenizer::fromHuggingFaceJson(path));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace latent::tokenizer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (bool parseSpecial : {true, false}) {
        const std::vector<TokenId> ids = g_tokenizer->encode(text, {.parseSpecial = parseSpecial});
        if (g_tokenizer->decode(ids) != text) {
            std::fprintf(stderr, "decode(encode(text)) differs from the text\n");
            std::abort();
        }
        StreamDecoder decoder(*g_tokenizer);
        std::string streamed;
        for (TokenId id : ids)
            streamed += decoder.push(id);
        streamed += decoder.finish();
        if (latent::utf8::sanitize(streamed) != streamed || (latent::utf8::sanitize(text) == text && streamed != text)) {
            std::fprintf(stderr, "streamed text is not valid UTF-8, or differs from valid input\n");
            std::abort();
        }
    }
    return 0;
}
