// The AppImage type-2 runtime: the ELF program at the start of Latent's AppImage. It finds the
// SquashFS image appended to itself, and mounts it and runs its AppRun, or does what one of the
// `--appimage-*` options given as the first argument asks.

#include "app_launch.h"
#include "image_extract.h"
#include "payload_offset.h"
#include "run_modes.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char option_prefix[] = "--appimage-";

static void print_help(const char *argv0)
{
    printf("Usage: %s [--appimage-OPTION | ARGUMENTS...]\n"
           "Runs the application inside this AppImage (its AppRun) with ARGUMENTS, mounting it through\n"
           "FUSE, or does what one of these options, given first, asks:\n"
           "  --appimage-extract [PATTERN]  copy the contents into ./squashfs-root; with a PATTERN,\n"
           "                                only the paths it matches (fnmatch: '*.desktop', 'usr/bin/*')\n"
           "  --appimage-extract-and-run [ARGUMENTS...]\n"
           "                                copy the contents into a temporary folder, run them from\n"
           "                                there and remove the copy (for machines without FUSE;\n"
           "                                APPIMAGE_EXTRACT_AND_RUN=1 does the same)\n"
           "  --appimage-mount              mount, print the mount point and keep it until Ctrl+C\n"
           "  --appimage-offset             print where the filesystem image starts in this file\n"
           "  --appimage-version            print this runtime's version\n"
           "  --appimage-help               print this help\n"
           "AppRun finds APPIMAGE (this file), APPDIR (the mounted or copied contents), ARGV0 (how this\n"
           "file was called) and OWD (the working directory) in its environment. TARGET_APPIMAGE=FILE\n"
           "makes the runtime use the image appended to FILE instead of its own.\n",
           argv0);
}

// The AppImage is the runtime's own file, unless TARGET_APPIMAGE names another one.
static bool locate_image(char *image)
{
    const char *target = getenv("TARGET_APPIMAGE");
    const char *path = target && *target ? target : "/proc/self/exe";
    if (!realpath(path, image)) {
        perror(target && *target ? "Cannot find the AppImage named by TARGET_APPIMAGE"
                                 : "Cannot find this AppImage's own file (/proc/self/exe)");
        return false;
    }
    return true;
}

static int run_option(const char *image, uint64_t offset, int argc, char **argv)
{
    const char *option = argv[1] + strlen(option_prefix);
    if (strcmp(option, "help") == 0) {
        print_help(argv[0]);
        return 0;
    }
    if (strcmp(option, "offset") == 0) {
        printf("%llu\n", (unsigned long long)offset);
        return 0;
    }
    if (strcmp(option, "version") == 0) {
        printf("Latent AppImage runtime %s\n", LATENT_VERSION);
        return 0;
    }
    if (strcmp(option, "extract") == 0)
        return extract_image(image, offset, "squashfs-root", argc > 2 ? argv[2] : NULL) ? 0 : 1;
    if (strcmp(option, "extract-and-run") == 0)
        exit_like(run_extracted(image, offset, argv[0], argc - 2, argv + 2));
    if (strcmp(option, "mount") == 0)
        exit_like(mount_until_signal(image, offset));
    fprintf(stderr, "Unknown option %s: %s --appimage-help lists the options\n", argv[1], argv[0]);
    return 1;
}

int main(int argc, char **argv)
{
    char image[PATH_MAX];
    uint64_t offset;
    if (!locate_image(image) || !payload_offset(image, &offset))
        return 1;
    if (argc > 1 && strncmp(argv[1], option_prefix, strlen(option_prefix)) == 0)
        return run_option(image, offset, argc, argv);
    const char *extract_and_run = getenv("APPIMAGE_EXTRACT_AND_RUN");
    if (extract_and_run && strcmp(extract_and_run, "1") == 0)
        exit_like(run_extracted(image, offset, argv[0], argc - 1, argv + 1));
    exit_like(run_mounted(image, offset, argv[0], argc - 1, argv + 1));
}
