// Copying the SquashFS image out of an AppImage into a folder: `--appimage-extract` and the
// extract-and-run mode for machines without FUSE.
#pragma once

#include <stdbool.h>
#include <stdint.h>

// Extracts the image that starts at `offset` in the file `image` into `destination` (created if
// missing; existing files are replaced). With a `pattern`, only the entries whose path inside the
// image matches it (fnmatch with FNM_PATHNAME | FNM_LEADING_DIR: `*.desktop`, `usr/bin/*`, `usr/share`)
// are extracted, with the folders above them. Prints what failed and returns false on an error.
bool extract_image(const char *image, uint64_t offset, const char *destination, const char *pattern);
