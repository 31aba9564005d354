#pragma once

#include "engine/gguf/metadata.h"
#include "engine/tokenizer/tokenizer_spec.h"

namespace latent::tokenizer {

// The tokenizer.ggml.* metadata of a GGUF file, read into a spec; and a spec written as that
// metadata (what the converter and the test models need).
TokenizerSpec readTokenizerSpec(const gguf::Metadata& metadata);
void writeTokenizerMetadata(const TokenizerSpec& spec, gguf::Metadata& metadata);

} // namespace latent::tokenizer
