// Memory bandwidth of this machine with N threads: the bound on generation speed, which reads
// every active weight once per token.
//   bench_bandwidth [THREADS] [MIB]    -> one JSON line: read and copy GB/s (best of 5)

#include "tests/bench/read_bandwidth.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace latent;

int main(int argc, char** argv)
{
    const size_t threads = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2;
    const size_t bytes = (argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1024) << 20;
    const size_t words = bytes / sizeof(uint64_t);
    bench::ReadPass read(bytes, threads);
    const double readSeconds = bench::bestSeconds(5, [&] { read.run(); });
    // The copy reads the read pass's words: one buffer of the size less in memory.
    const std::vector<uint64_t>& source = read.words();
    std::vector<uint64_t> target(words, 0);
    const size_t slice = words / threads;
    const double copySeconds = bench::bestSeconds(5, [&] {
        bench::onThreads(threads, [&](size_t t) {
            std::memcpy(target.data() + t * slice, source.data() + t * slice, slice * sizeof(uint64_t));
        });
    });
    fmt::print("{{\"threads\": {}, \"bytes\": {}, \"read_gb_s\": {:.2f}, \"copy_gb_s\": {:.2f}, \"check\": {}}}\n", threads,
               bytes, read.bytes() / readSeconds / 1e9, double(bytes) / copySeconds / 1e9, read.check() + target[words / 2]);
    return 0;
}
