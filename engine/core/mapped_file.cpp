#include "engine/core/mapped_file.h"

#include "engine/core/error.h"

#include <fmt/format.h>
#include <utility>

#ifdef _WIN32
#include <windows.h>
#else
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace latent {

#ifdef _WIN32

MappedFile::MappedFile(const std::filesystem::path& path)
{
    fileHandle_ = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (fileHandle_ == INVALID_HANDLE_VALUE) {
        fileHandle_ = nullptr;
        throw Error(fmt::format("{}: cannot open the file (Windows error {})", path.string(), GetLastError()),
                    ErrorKind::FileUnreadable);
    }
    LARGE_INTEGER size{};
    if (!GetFileSizeEx(fileHandle_, &size)) {
        release();
        throw Error(fmt::format("{}: cannot read the file's size", path.string()),
                    ErrorKind::FileUnreadable);
    }
    size_ = static_cast<size_t>(size.QuadPart);
    if (size_ == 0)
        return; // Windows cannot map an empty file; an empty span is what callers need.
    mappingHandle_ = CreateFileMappingW(fileHandle_, nullptr, PAGE_READONLY, 0, 0, nullptr);
    const void* view = mappingHandle_ ? MapViewOfFile(mappingHandle_, FILE_MAP_READ, 0, 0, 0) : nullptr;
    if (!view) {
        release();
        throw Error(fmt::format("{}: cannot map the file into memory (Windows error {})", path.string(),
                                GetLastError()),
                    ErrorKind::FileUnreadable);
    }
    data_ = static_cast<const uint8_t*>(view);
}

void MappedFile::release() noexcept
{
    if (data_)
        UnmapViewOfFile(data_);
    if (mappingHandle_)
        CloseHandle(mappingHandle_);
    if (fileHandle_)
        CloseHandle(fileHandle_);
    data_ = nullptr;
    size_ = 0;
    mappingHandle_ = nullptr;
    fileHandle_ = nullptr;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      fileHandle_(std::exchange(other.fileHandle_, nullptr)),
      mappingHandle_(std::exchange(other.mappingHandle_, nullptr))
{
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept
{
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        fileHandle_ = std::exchange(other.fileHandle_, nullptr);
        mappingHandle_ = std::exchange(other.mappingHandle_, nullptr);
    }
    return *this;
}

#else

MappedFile::MappedFile(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(fmt::format("{}: cannot open the file: {}", path.string(), std::strerror(errno)),
                    ErrorKind::FileUnreadable);
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        throw Error(fmt::format("{}: not a regular file", path.string()),
                    ErrorKind::FileUnreadable);
    }
    size_ = static_cast<size_t>(info.st_size);
    if (size_ > 0) {
        void* view = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
        if (view == MAP_FAILED) {
            const int error = errno;
            ::close(fd);
            throw Error(fmt::format("{}: cannot map the file into memory: {}", path.string(), std::strerror(error)),
                    ErrorKind::FileUnreadable);
        }
        data_ = static_cast<const uint8_t*>(view);
    }
    ::close(fd); // the mapping keeps the file alive
}

void MappedFile::release() noexcept
{
    if (data_)
        ::munmap(const_cast<uint8_t*>(data_), size_);
    data_ = nullptr;
    size_ = 0;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0))
{
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept
{
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

#endif

void MappedFile::adviseUnneeded(std::span<const uint8_t> range) const
{
#ifndef _WIN32
    // Only whole pages inside the range: a partial page may hold bytes that are still in use.
    const auto pageSize = uintptr_t(::sysconf(_SC_PAGESIZE));
    const auto begin = (uintptr_t(range.data()) + pageSize - 1) / pageSize * pageSize;
    const auto end = (uintptr_t(range.data()) + range.size()) / pageSize * pageSize;
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
#else
    (void)range; // Windows trims a process's working set by itself
#endif
}

MappedFile::~MappedFile()
{
    release();
}

} // namespace latent
