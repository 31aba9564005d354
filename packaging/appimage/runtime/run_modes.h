// The ways the runtime makes the image's AppDir available and runs it: through a FUSE mount (the
// normal way), or from a temporary extracted copy (machines without FUSE).
#pragma once

#include <stdint.h>

// Each returns AppRun's wait status, or a status of 1 when the AppDir could not be made available;
// the mount or the copy is gone when they return.
int run_mounted(const char *image, uint64_t offset, const char *argv0, int argument_count, char **arguments);
int run_extracted(const char *image, uint64_t offset, const char *argv0, int argument_count, char **arguments);

// `--appimage-mount`: mounts, prints the mount point and keeps it until SIGINT, SIGTERM or SIGHUP.
int mount_until_signal(const char *image, uint64_t offset);
