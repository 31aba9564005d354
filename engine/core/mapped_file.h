#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace latent {

// A whole file mapped read-only into memory. Model weights are read in place through it:
// the operating system pages them in on demand and shares them between processes.
class MappedFile {
public:
    // Throws Error naming the path when the file cannot be opened or mapped.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::span<const uint8_t> bytes() const { return {data_, size_}; }

    // Tells the system that a range will not be read again soon (its data was copied elsewhere):
    // its pages leave this process's resident memory and stay in the file cache.
    void adviseUnneeded(std::span<const uint8_t> range) const;

private:
    void release() noexcept;

    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
#ifdef _WIN32
    void* fileHandle_ = nullptr;
    void* mappingHandle_ = nullptr;
#endif
};

} // namespace latent
