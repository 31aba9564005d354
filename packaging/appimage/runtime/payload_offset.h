// Where the SquashFS image starts in an AppImage: right after the ELF runtime, whose last bytes are
// its section header table (the type-2 format appends the image there).
#pragma once

#include <stdbool.h>
#include <stdint.h>

// Reads the ELF header of the file at `path` and sets `*offset` to e_shoff + e_shentsize * e_shnum.
// On failure prints why (naming the file) and returns false.
bool payload_offset(const char *path, uint64_t *offset);
