#include "app/cli/model_options.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"

namespace latent::cli {

void addTokenizerSourceOptions(CLI::App& command, TokenizerSource& source)
{
    auto* model = command.add_option("-m,--model", source.model, "A GGUF model file");
    auto* json = command.add_option("--tokenizer-json", source.tokenizerJson, "A Hugging Face tokenizer.json");
    model->excludes(json);
}

tokenizer::Tokenizer loadTokenizer(const TokenizerSource& source)
{
    if (source.model.empty() && source.tokenizerJson.empty())
        throw Error("give a model (-m MODEL.gguf) or a tokenizer (--tokenizer-json tokenizer.json)");
    if (!source.tokenizerJson.empty())
        return tokenizer::Tokenizer::fromHuggingFaceJson(source.tokenizerJson);
    return tokenizer::Tokenizer::fromGguf(gguf::GgufFile::open(source.model));
}

} // namespace latent::cli
