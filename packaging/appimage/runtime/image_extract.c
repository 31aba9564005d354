// squashfuse's config.h defines _POSIX_C_SOURCE; included before any system header, it leaves
// glibc's features.h (under our _GNU_SOURCE) to settle the value without a redefinition warning.
#include <squashfuse.h>

#include "image_extract.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { copy_chunk_bytes = 1 << 17 };

// Folders are made writable by their owner whatever the image says, so that their files can be
// written after them and the extracted tree can be removed again.
static bool make_folder(const char *path, mode_t mode)
{
    if (mkdir(path, mode | S_IRWXU) == 0 || (errno == EEXIST && chmod(path, mode | S_IRWXU) == 0))
        return true;
    fprintf(stderr, "Cannot create the folder %s: %s\n", path, strerror(errno));
    return false;
}

// With a pattern, an entry can match while the folders above it did not.
static bool make_parent_folders(const char *path, size_t root_length)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    for (char *slash = parent + root_length + 1; (slash = strchr(slash, '/')) != NULL; ++slash) {
        *slash = '\0';
        const bool made = access(parent, F_OK) == 0 || make_folder(parent, 0755);
        *slash = '/';
        if (!made)
            return false;
    }
    return true;
}

static bool write_all(int fd, const char *bytes, size_t size)
{
    while (size > 0) {
        const ssize_t written = write(fd, bytes, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        bytes += written;
        size -= (size_t)written;
    }
    return true;
}

static bool copy_file(sqfs *fs, sqfs_inode *inode, const char *target)
{
    const int fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "Cannot create %s: %s\n", target, strerror(errno));
        return false;
    }
    char *chunk = malloc(copy_chunk_bytes);
    bool ok = chunk != NULL;
    const sqfs_off_t file_size = (sqfs_off_t)inode->xtra.reg.file_size;
    for (sqfs_off_t done = 0; ok && done < file_size;) {
        sqfs_off_t size = file_size - done < copy_chunk_bytes ? file_size - done : copy_chunk_bytes;
        ok = sqfs_read_range(fs, inode, done, &size, chunk) == SQFS_OK && size > 0 &&
             write_all(fd, chunk, (size_t)size);
        done += size;
    }
    // The exact mode, not the one the umask would leave: AppRun and the programs must stay executable.
    ok = ok && fchmod(fd, inode->base.mode & 0777) == 0;
    if (close(fd) != 0)
        ok = false;
    free(chunk);
    if (!ok)
        fprintf(stderr, "Cannot extract %s: reading the image or writing the file failed\n", target);
    return ok;
}

static bool copy_symlink(sqfs *fs, sqfs_inode *inode, const char *target)
{
    size_t size = inode->xtra.symlink_size + 1;
    char *link_target = malloc(size);
    bool ok = link_target && sqfs_readlink(fs, inode, link_target, &size) == SQFS_OK;
    if (ok && symlink(link_target, target) != 0) {
        fprintf(stderr, "Cannot create the symbolic link %s: %s\n", target, strerror(errno));
        ok = false;
    }
    free(link_target);
    return ok;
}

static bool extract_entry(sqfs *fs, sqfs_inode *inode, const char *target)
{
    if (S_ISDIR(inode->base.mode))
        return make_folder(target, inode->base.mode & 0777);
    // A file or link left by an earlier extraction is replaced, never written through.
    if (unlink(target) != 0 && errno != ENOENT) {
        fprintf(stderr, "Cannot replace %s: %s\n", target, strerror(errno));
        return false;
    }
    if (S_ISREG(inode->base.mode))
        return copy_file(fs, inode, target);
    if (S_ISLNK(inode->base.mode))
        return copy_symlink(fs, inode, target);
    fprintf(stderr, "Skipping %s: devices, FIFOs and sockets are not extracted\n", target);
    return true;
}

static bool extract_tree(sqfs *fs, const char *destination, const char *pattern)
{
    sqfs_traverse traversal;
    if (sqfs_traverse_open(&traversal, fs, sqfs_inode_root(fs)) != SQFS_OK) {
        fprintf(stderr, "Cannot read the image's root folder\n");
        return false;
    }
    bool ok = true;
    sqfs_err error = SQFS_OK;
    while (ok && sqfs_traverse_next(&traversal, &error)) {
        if (traversal.dir_end)
            continue;
        if (pattern && fnmatch(pattern, traversal.path, FNM_PATHNAME | FNM_LEADING_DIR) != 0)
            continue;
        char target[PATH_MAX];
        if (snprintf(target, sizeof target, "%s/%s", destination, traversal.path) >= (int)sizeof target) {
            fprintf(stderr, "Cannot extract %s: the path is too long\n", traversal.path);
            ok = false;
            break;
        }
        sqfs_inode inode;
        ok = sqfs_inode_get(fs, &inode, traversal.entry.inode) == SQFS_OK &&
             make_parent_folders(target, strlen(destination)) && extract_entry(fs, &inode, target);
    }
    if (error != SQFS_OK) {
        fprintf(stderr, "Cannot read the image's folders: it is damaged\n");
        ok = false;
    }
    sqfs_traverse_close(&traversal);
    return ok;
}

bool extract_image(const char *image, uint64_t offset, const char *destination, const char *pattern)
{
    sqfs fs;
    memset(&fs, 0, sizeof fs);
    if (sqfs_open_image(&fs, image, (size_t)offset) != SQFS_OK) {
        fprintf(stderr, "Cannot read the SquashFS image at offset %llu of %s\n", (unsigned long long)offset, image);
        return false;
    }
    const bool ok = make_folder(destination, 0755) && extract_tree(&fs, destination, pattern);
    sqfs_destroy(&fs);
    sqfs_fd_close(fs.fd);
    return ok;
}
