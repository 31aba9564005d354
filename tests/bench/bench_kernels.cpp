// The CPU backend's matrix products per weight type and kernel table, on one matrix of a real
// model's shape (5504 rows of 2048, DeepSeek-Coder-1.3B's feed-forward up projection): one token (generation: GB/s of
// weights read) and 64 tokens at once (prompts: tokens/s through the matrix). Tables side by side
// in one run, so their ratio is what to read.
//   bench_kernels [THREADS=2] [TYPES=Q4_0,Q8_0,Q5_0,Q4_K,Q6_K,...]

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

using namespace latent;

namespace {

constexpr int64_t kCols = 2048, kRows = 5504;

// A GGUF in memory holding one random matrix of the type.
struct Matrix {
    std::string bytes;
    std::unique_ptr<gguf::GgufFile> file;

    explicit Matrix(gguf::TensorType type)
    {
        std::mt19937 random(7);
        std::normal_distribution<float> normal(0.0f, 0.05f);
        std::vector<float> values(size_t(kCols * kRows));
        for (float& v : values)
            v = normal(random);
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        const std::vector<uint8_t> quantized = quant::quantize(type, values); // the writer reads it in writeTo
        writer.addTensor("w", type, {uint64_t(kCols), uint64_t(kRows)}, quantized);
        std::ostringstream out;
        writer.writeTo(out);
        bytes = out.str();
        file = std::make_unique<gguf::GgufFile>(
            gguf::GgufFile::parse({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, "bench.gguf"));
    }
};

template <typename Body>
double bestSeconds(int runs, Body body)
{
    double best = 1e30;
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        body();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    const size_t threads = argc > 1 ? size_t(std::atoi(argv[1])) : 2;
    std::string types = argc > 2 ? argv[2] : "Q4_0,Q8_0,Q5_0,Q4_1,Q5_1,IQ4_NL,Q2_K,Q3_K,Q4_K,Q5_K,Q6_K,IQ4_XS";
    fmt::print("{:8} {:9} {:>12} {:>14}\n", "type", "kernels", "1 token GB/s", "64 tokens tok/s");
    std::stringstream list(types);
    for (std::string name; std::getline(list, name, ',');) {
        const auto type = gguf::tensorTypeFromName(name);
        if (!type) {
            fmt::print(stderr, "unknown type {}\n", name);
            return 2;
        }
        const Matrix matrix(*type);
        const gguf::TensorInfo& info = matrix.file->tensors().front();
        for (const cpu::DotKernels* table : cpu::supportedKernels()) {
            cpu::CpuBackend backend(threads, *table);
            const Tensor weight = backend.weight(*matrix.file, info, WeightUse::Product);
            Tensor one = backend.allocate(gguf::TensorType::F32, weight.cols, 1);
            Tensor many = backend.allocate(gguf::TensorType::F32, weight.cols, 64);
            std::vector<float> values(size_t(weight.cols * 64));
            std::mt19937 random(3);
            std::normal_distribution<float> normal(0.0f, 1.0f);
            for (float& v : values)
                v = normal(random);
            backend.upload(many, values);
            backend.upload(one, std::span(values).first(size_t(weight.cols)));
            Tensor outOne = backend.allocate(gguf::TensorType::F32, weight.rows, 1);
            Tensor outMany = backend.allocate(gguf::TensorType::F32, weight.rows, 64);
            const double decode = bestSeconds(20, [&] {
                for (int i = 0; i < 10; ++i)
                    backend.matmul(outOne, weight, one);
            }) / 10;
            const double prompt = bestSeconds(5, [&] { backend.matmul(outMany, weight, many); });
            fmt::print("{:8} {:9} {:>12.1f} {:>14.0f}\n", name, table->name, double(info.byteSize) / decode / 1e9,
                       64 / prompt);
        }
    }
    return 0;
}
