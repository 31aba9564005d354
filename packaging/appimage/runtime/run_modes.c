#include "run_modes.h"

#include "app_launch.h"
#include "image_extract.h"
#include "image_mount.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { failed_status = 1 << 8 }; // a wait status that reads as exit code 1

// "$TMPDIR/<kind><the first bytes of the image's name>XXXXXX", private to the user (mkdtemp), so
// that a listing of /tmp tells whose mount or copy a folder is.
static bool make_temporary_folder(char *folder, size_t size, const char *kind, const char *image)
{
    const char *temporary = getenv("TMPDIR");
    if (!temporary || !*temporary)
        temporary = "/tmp";
    const char *slash = strrchr(image, '/');
    const char *name = slash ? slash + 1 : image;
    size_t length = strlen(name) < 6 ? strlen(name) : 6;
    // A name cut inside a UTF-8 character would not be valid UTF-8 any more.
    while (length > 0 && ((unsigned char)name[length] & 0xC0) == 0x80)
        --length;
    if (snprintf(folder, size, "%s/%s%.*sXXXXXX", temporary, kind, (int)length, name) >= (int)size ||
        !mkdtemp(folder)) {
        fprintf(stderr, "Cannot create a temporary folder in %s: %s (set TMPDIR to a writable folder)\n",
                temporary, strerror(errno));
        return false;
    }
    return true;
}

static void explain_missing_fuse(const char *image, const char *reason)
{
    fprintf(stderr,
            "Cannot mount %s with FUSE%s%s.\n"
            "Install FUSE 3 (Debian and Ubuntu: sudo apt install fuse3; Fedora: sudo dnf install fuse3),\n"
            "or run it without FUSE: %s --appimage-extract-and-run (or set APPIMAGE_EXTRACT_AND_RUN=1).\n",
            image, reason ? ": " : "", reason ? reason : "", image);
}

// Mounts the image at a new temporary folder. Returns the server's pid, or -1 having said why not
// and what to do instead.
static pid_t mount_at_temporary_folder(const char *image, uint64_t offset, char *mount_point, size_t size)
{
    struct stat device;
    if (stat("/dev/fuse", &device) != 0) {
        explain_missing_fuse(image, "/dev/fuse does not exist (no FUSE in this kernel or container)");
        return -1;
    }
    if (!make_temporary_folder(mount_point, size, ".mount_", image))
        return -1;
    const pid_t server = start_mount(image, offset, mount_point);
    if (server < 0) {
        rmdir(mount_point);
        explain_missing_fuse(image, NULL);
    }
    return server;
}

static void unmount_from_temporary_folder(pid_t server, const char *mount_point)
{
    stop_mount(server);
    rmdir(mount_point);
}

int run_mounted(const char *image, uint64_t offset, const char *argv0, int argument_count, char **arguments)
{
    char mount_point[PATH_MAX];
    const pid_t server = mount_at_temporary_folder(image, offset, mount_point, sizeof mount_point);
    if (server < 0)
        return failed_status;
    const int status = run_app_run(mount_point, image, argv0, argument_count, arguments);
    unmount_from_temporary_folder(server, mount_point);
    return status;
}

static int remove_entry(const char *path, const struct stat *status, int type, struct FTW *position)
{
    (void)status;
    (void)type;
    (void)position;
    if (remove(path) != 0)
        fprintf(stderr, "Cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

int run_extracted(const char *image, uint64_t offset, const char *argv0, int argument_count, char **arguments)
{
    char folder[PATH_MAX];
    if (!make_temporary_folder(folder, sizeof folder, "appimage_extracted_", image))
        return failed_status;
    int status = failed_status;
    if (extract_image(image, offset, folder, NULL))
        status = run_app_run(folder, image, argv0, argument_count, arguments);
    // Depth first, and without following links out of the copy.
    nftw(folder, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return status;
}

int mount_until_signal(const char *image, uint64_t offset)
{
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop_signals, NULL);

    char mount_point[PATH_MAX];
    const pid_t server = mount_at_temporary_folder(image, offset, mount_point, sizeof mount_point);
    if (server < 0)
        return failed_status;
    printf("%s\n", mount_point);
    fflush(stdout);
    int received;
    sigwait(&stop_signals, &received);
    unmount_from_temporary_folder(server, mount_point);
    return 0;
}
