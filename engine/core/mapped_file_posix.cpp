// MappedFile on Linux and macOS: mmap.

#include "engine/core/mapped_file.h"

#include "engine/core/error.h"
#include "engine/core/utf8_path.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace latent {

MappedFile::MappedFile(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(fmt::format("{}: cannot open the file: {}", utf8FromPath(path), std::strerror(errno)),
                    ErrorKind::FileUnreadable);
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        throw Error(fmt::format("{}: not a regular file", utf8FromPath(path)), ErrorKind::FileUnreadable);
    }
    size_ = static_cast<size_t>(info.st_size);
    if (size_ > 0) {
        void* view = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
        if (view == MAP_FAILED) {
            const int error = errno;
            ::close(fd);
            throw Error(fmt::format("{}: cannot map the file into memory: {}", utf8FromPath(path),
                                    std::strerror(error)),
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

MappedFile::~MappedFile()
{
    release();
}

void MappedFile::adviseUnneeded(std::span<const uint8_t> range) const
{
    // Only whole pages inside the range: a partial page may hold bytes that are still in use.
    const auto pageSize = uintptr_t(::sysconf(_SC_PAGESIZE));
    const auto begin = (uintptr_t(range.data()) + pageSize - 1) / pageSize * pageSize;
    const auto end = (uintptr_t(range.data()) + range.size()) / pageSize * pageSize;
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

} // namespace latent
