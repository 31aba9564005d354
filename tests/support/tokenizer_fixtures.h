#pragma once

// The DeepSeek-V3 tokenizer of ../shared/data, loaded from its tokenizer.json or from a GGUF
// our writer makes from it, and its conformance texts.

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/tokenizer_gguf.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace latent::test {

inline const char* kV3TokenizerJson = "data/tokenizer/deepseek-v3/tokenizer.json";
inline const char* kV3Conformance = "data/tokenizer/deepseek-v3/conformance.jsonl";

struct ConformanceCase {
    std::string text;
    std::vector<tokenizer::TokenId> ids;
};

inline std::vector<ConformanceCase> readConformance()
{
    std::vector<ConformanceCase> cases;
    std::ifstream in(sharedPath(kV3Conformance).toStdString());
    std::string line;
    while (std::getline(in, line)) {
        const auto json = nlohmann::json::parse(line);
        cases.push_back({json.at("text").get<std::string>(), json.at("ids").get<std::vector<tokenizer::TokenId>>()});
    }
    return cases;
}

// A GGUF holding only tokenizer metadata, written by our writer, kept in memory.
struct TokenizerGguf {
    std::string bytes;
    gguf::GgufFile file;

    static TokenizerGguf fromSpec(const tokenizer::TokenizerSpec& spec)
    {
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("deepseek2"));
        tokenizer::writeTokenizerMetadata(spec, writer.metadata());
        std::ostringstream out;
        writer.writeTo(out);
        std::string bytes = out.str();
        return TokenizerGguf{std::move(bytes)};
    }

private:
    explicit TokenizerGguf(std::string data)
        : bytes(std::move(data)),
          file(gguf::GgufFile::parse({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, "v3-tokenizer.gguf"))
    {
    }
};

} // namespace latent::test
