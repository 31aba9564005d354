// Encoding throughput of the tokenizer on one thread, in MB/s of input text:
//   bench_tokenizer TOKENIZER_JSON CONFORMANCE_JSONL SOURCE_FILE
// Prints one JSON line. Each measure repeats for about two seconds and keeps the best pass.

#include "engine/tokenizer/tokenizer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>

using namespace latent::tokenizer;

namespace {

double bestSeconds(const std::function<void()>& pass)
{
    using Clock = std::chrono::steady_clock;
    double best = 1e30;
    const auto start = Clock::now();
    do {
        const auto begin = Clock::now();
        pass();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - begin).count());
    } while (Clock::now() - start < std::chrono::seconds(2));
    return best;
}

std::string readFile(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        fmt::print(stderr, "usage: bench_tokenizer TOKENIZER_JSON CONFORMANCE_JSONL SOURCE_FILE\n");
        return 2;
    }
    const Tokenizer tokenizer = Tokenizer::fromHuggingFaceJson(argv[1]);
    std::vector<std::string> texts;
    size_t textBytes = 0;
    std::ifstream lines(argv[2]);
    for (std::string line; std::getline(lines, line);) {
        texts.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
        textBytes += texts.back().size();
    }
    const std::string source = readFile(argv[3]);

    size_t tokens = 0;
    const double textsSeconds = bestSeconds([&] {
        tokens = 0;
        for (const std::string& text : texts)
            tokens += tokenizer.encode(text).size();
    });
    size_t sourceTokens = 0;
    const double sourceSeconds = bestSeconds([&] { sourceTokens = tokenizer.encode(source).size(); });

    fmt::print("{{\"engine\": \"latent\", \"conformance_bytes\": {}, \"conformance_tokens\": {}, "
               "\"conformance_mb_s\": {:.2f}, \"source_bytes\": {}, \"source_tokens\": {}, \"source_mb_s\": {:.2f}}}\n",
               textBytes, tokens, textBytes / textsSeconds / 1e6, source.size(), sourceTokens,
               source.size() / sourceSeconds / 1e6);
    return 0;
}
