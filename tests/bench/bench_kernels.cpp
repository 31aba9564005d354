// The CPU backend's matrix products per weight type and kernel table, on matrices of a real
// model's shape (by default 5504 rows of 2048, DeepSeek-Coder-1.3B's feed-forward up projection):
// one token (generation: GB/s of weights read), on one matrix again and again (from the caches:
// what the kernel can compute) and on copies of it that overflow the caches one after another
// (from memory, as a model's decoding reads its weights), beside the read bound measured in turns
// with it (this machine's bandwidth moves); and 64 tokens at once (prompts: tokens/s through the
// matrix). Tables side by side in one run, so their ratio is what to read.
//   bench_kernels [THREADS=2] [TYPES=Q4_0,Q8_0,Q5_0,Q4_K,Q6_K,...] [ROWSxCOLS=5504x2048]

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"
#include "tests/bench/read_bandwidth.h"

#include <fmt/format.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

using namespace latent;

namespace {

// The copies streamed from memory come to at least this much, far over any cache.
constexpr size_t kStreamedBytes = size_t(512) << 20;

// A GGUF in memory holding `copies` copies of one random matrix of the type.
struct Matrices {
    std::string bytes;
    std::unique_ptr<gguf::GgufFile> file;

    Matrices(gguf::TensorType type, int64_t rows, int64_t cols, size_t copies)
    {
        std::mt19937 random(7);
        std::normal_distribution<float> normal(0.0f, 0.05f);
        std::vector<float> values(size_t(cols * rows));
        for (float& v : values)
            v = normal(random);
        gguf::GgufWriter writer;
        writer.metadata().set("general.architecture", std::string("llama"));
        const std::vector<uint8_t> quantized = quant::quantize(type, values); // the writer reads it in writeTo
        for (size_t copy = 0; copy < copies; ++copy)
            writer.addTensor(fmt::format("w{}", copy), type, {uint64_t(cols), uint64_t(rows)}, quantized);
        std::ostringstream out;
        writer.writeTo(out);
        bytes = out.str();
        file = std::make_unique<gguf::GgufFile>(
            gguf::GgufFile::parse({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, "bench.gguf"));
    }
};

} // namespace

int main(int argc, char** argv)
{
    const size_t threads = argc > 1 ? size_t(std::atoi(argv[1])) : 2;
    std::string types = argc > 2 ? argv[2] : "Q4_0,Q8_0,Q5_0,Q4_1,Q5_1,IQ4_NL,Q2_K,Q3_K,Q4_K,Q5_K,Q6_K,IQ4_XS";
    int64_t rows = 5504, cols = 2048;
    if (argc > 3 && (std::sscanf(argv[3], "%" SCNd64 "x%" SCNd64, &rows, &cols) != 2 || rows < 1 || cols < 1)) {
        fmt::print(stderr, "shape '{}': write ROWSxCOLS, e.g. 2048x2048\n", argv[3]);
        return 2;
    }
    bench::ReadPass read(kStreamedBytes, threads);
    fmt::print("{} rows of {}, {} threads\n", rows, cols, threads);
    fmt::print("{:8} {:9} {:>12} {:>12} {:>10} {:>8} {:>10}\n", "type", "kernels", "cached GB/s", "streamed",
               "read GB/s", "share", "64 tok/s");
    std::stringstream list(types);
    for (std::string name; std::getline(list, name, ',');) {
        const auto type = gguf::tensorTypeFromName(name);
        if (!type) {
            fmt::print(stderr, "unknown type {}\n", name);
            return 2;
        }
        const size_t matrixBytes = size_t(cols * rows) / gguf::tensorTypeTraits(*type).blockValues *
                                   gguf::tensorTypeTraits(*type).blockBytes;
        const Matrices matrices(*type, rows, cols, (kStreamedBytes + matrixBytes - 1) / matrixBytes);
        const gguf::TensorInfo& info = matrices.file->tensors().front();
        for (const cpu::DotKernels* table : cpu::supportedKernels()) {
            cpu::CpuBackend backend(threads, *table);
            std::vector<Tensor> copies;
            for (const gguf::TensorInfo& copy : matrices.file->tensors())
                copies.push_back(backend.weight(*matrices.file, copy, WeightUse::Product));
            const Tensor& weight = copies.front();
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
            const double cached = bench::bestSeconds(20, [&] {
                for (int i = 0; i < 10; ++i)
                    backend.matmul(outOne, weight, one);
            }) / 10;
            double streamed = 1e30, readSeconds = 1e30;
            for (int run = 0; run < 5; ++run) {
                readSeconds = std::min(readSeconds, bench::bestSeconds(1, [&] { read.run(); }));
                streamed = std::min(streamed, bench::bestSeconds(1, [&] {
                    for (const Tensor& copy : copies)
                        backend.matmul(outOne, copy, one);
                }) / double(copies.size()));
            }
            const double prompt = bench::bestSeconds(5, [&] { backend.matmul(outMany, weight, many); });
            const double streamedGbPerSecond = double(info.byteSize) / streamed / 1e9;
            const double readGbPerSecond = read.bytes() / readSeconds / 1e9;
            fmt::print("{:8} {:9} {:>12.1f} {:>12.1f} {:>10.1f} {:>7.0f}% {:>10.0f}\n", name, table->name,
                       double(info.byteSize) / cached / 1e9, streamedGbPerSecond, readGbPerSecond,
                       100 * streamedGbPerSecond / readGbPerSecond, 64 / prompt);
        }
    }
    fmt::print("(read check {})\n", read.check());
    return 0;
}
