#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace latent {

// Memory starting on a 64-byte boundary (a cache line), or nullptr when there is none; released
// with freeAligned64. Aligned operator new, not std::aligned_alloc, which Windows lacks (its free
// cannot release over-aligned blocks).
inline void* allocateAligned64(size_t bytes)
{
    return ::operator new(bytes, std::align_val_t{64}, std::nothrow);
}

inline void freeAligned64(void* memory) noexcept
{
    ::operator delete(memory, std::align_val_t{64});
}

// A growable array whose storage starts on a 64-byte boundary (a cache line), so that SIMD
// loads of aligned blocks never straddle two lines. Contents are not kept when it grows.
template <typename T>
class AlignedBuffer {
public:
    void resize(size_t count)
    {
        if (count > capacity_) {
            const size_t bytes = (count * sizeof(T) + 63) / 64 * 64;
            data_.reset(static_cast<T*>(allocateAligned64(bytes)));
            if (!data_)
                throw std::bad_alloc();
            capacity_ = count;
        }
        size_ = count;
    }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    size_t size() const { return size_; }
    T& operator[](size_t i) { return data_.get()[i]; }

private:
    struct Free {
        void operator()(T* p) const { freeAligned64(p); }
    };
    std::unique_ptr<T, Free> data_;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

} // namespace latent
