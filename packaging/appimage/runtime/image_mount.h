// Serving the SquashFS image through FUSE from a child process, so that the runtime itself stays
// free to run AppRun, pass signals on and clean up after it.
#pragma once

#include <stdint.h>
#include <sys/types.h>

// Forks a server that mounts the image starting at `offset` in `image` read-only at `mount_point`.
// Returns the server's pid once the mount is in place, or -1 when it could not be mounted (libfuse
// or squashfuse has printed why).
pid_t start_mount(const char *image, uint64_t offset, const char *mount_point);

// Asks the server to unmount (lazily, so that a process AppRun left behind does not keep the
// mount) and waits until it has exited.
void stop_mount(pid_t server);
