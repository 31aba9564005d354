#include "payload_offset.h"

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

// ELF fields are stored in the file's own byte order (EI_DATA), which need not be ours.
static uint64_t read_field(const unsigned char *bytes, int size, bool little_endian)
{
    uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
        const int shift = little_endian ? 8 * i : 8 * (size - 1 - i);
        value |= (uint64_t)bytes[i] << shift;
    }
    return value;
}

bool payload_offset(const char *path, uint64_t *offset)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "Cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    unsigned char header[sizeof(Elf64_Ehdr)];
    const size_t got = fread(header, 1, sizeof header, file);
    fclose(file);
    if (got < sizeof(Elf32_Ehdr) || memcmp(header, ELFMAG, SELFMAG) != 0) {
        fprintf(stderr, "%s is not an ELF file, so not an AppImage of type 2\n", path);
        return false;
    }
    const bool little = header[EI_DATA] == ELFDATA2LSB;
    uint64_t shoff, shentsize, shnum;
    if (header[EI_CLASS] == ELFCLASS64 && got == sizeof(Elf64_Ehdr)) {
        shoff = read_field(header + offsetof(Elf64_Ehdr, e_shoff), 8, little);
        shentsize = read_field(header + offsetof(Elf64_Ehdr, e_shentsize), 2, little);
        shnum = read_field(header + offsetof(Elf64_Ehdr, e_shnum), 2, little);
    } else if (header[EI_CLASS] == ELFCLASS32) {
        shoff = read_field(header + offsetof(Elf32_Ehdr, e_shoff), 4, little);
        shentsize = read_field(header + offsetof(Elf32_Ehdr, e_shentsize), 2, little);
        shnum = read_field(header + offsetof(Elf32_Ehdr, e_shnum), 2, little);
    } else {
        fprintf(stderr, "%s has an ELF header this runtime cannot read (class %d)\n", path, header[EI_CLASS]);
        return false;
    }
    *offset = shoff + shentsize * shnum;
    return true;
}
