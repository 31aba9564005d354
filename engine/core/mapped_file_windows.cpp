// MappedFile on Windows: a file mapping object and a read-only view of it.

#include "engine/core/mapped_file.h"

#include "engine/core/error.h"
#include "engine/core/utf8_path.h"

#include <fmt/format.h>

#include <utility>

#include <windows.h>

namespace latent {

MappedFile::MappedFile(const std::filesystem::path& path)
{
    // path.c_str() is UTF-16 here, so any file name opens, whatever the ANSI code page.
    fileHandle_ = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (fileHandle_ == INVALID_HANDLE_VALUE) {
        fileHandle_ = nullptr;
        throw Error(fmt::format("{}: cannot open the file (Windows error {})", utf8FromPath(path), GetLastError()),
                    ErrorKind::FileUnreadable);
    }
    LARGE_INTEGER size{};
    if (!GetFileSizeEx(fileHandle_, &size)) {
        release();
        throw Error(fmt::format("{}: cannot read the file's size", utf8FromPath(path)), ErrorKind::FileUnreadable);
    }
    size_ = static_cast<size_t>(size.QuadPart);
    if (size_ == 0)
        return; // Windows cannot map an empty file; an empty span is what callers need.
    mappingHandle_ = CreateFileMappingW(fileHandle_, nullptr, PAGE_READONLY, 0, 0, nullptr);
    const void* view = mappingHandle_ ? MapViewOfFile(mappingHandle_, FILE_MAP_READ, 0, 0, 0) : nullptr;
    if (!view) {
        const DWORD error = GetLastError();
        release();
        throw Error(fmt::format("{}: cannot map the file into memory (Windows error {})", utf8FromPath(path), error),
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

MappedFile::~MappedFile()
{
    release();
}

void MappedFile::adviseUnneeded(std::span<const uint8_t> range) const
{
    (void)range; // Windows trims a process's working set by itself
}

} // namespace latent
