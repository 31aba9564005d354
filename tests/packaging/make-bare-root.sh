#!/usr/bin/env bash
# Makes a bare Debian 12 root, the machine the Linux packages are tested on:
#   tests/packaging/make-bare-root.sh DIR
# Needs root, debootstrap and Debian's archive. The root is a minimal Debian (debootstrap's
# minbase) with only what a desktop system has and the test needs, so that an AppImage which forgot
# a library, a Qt plugin or a QML module fails here. What a desktop has is decided by the AppImage
# community's exclude-list idea: a library an AppImage leaves out because every desktop has it (glibc,
# libstdc++, the GL/EGL drivers, the core X11 and Wayland client libraries, fontconfig and freetype)
# must be on this system, and nothing else of ours is: no Qt, no QScintilla, no Vulkan loader, no
# compiler. The root is cached as a tarball in build/bare-root-cache/, named by a hash of this script
# (its package lists and steps), so a second run only unpacks it (BARE_ROOT_CACHE moves the cache).
set -euo pipefail

suite=bookworm
mirror=http://deb.debian.org/debian
# The archive sections an installed Debian 12 follows, so apt resolves a package's Depends as a
# user's apt would.
apt_sources="deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main"

# What every desktop has, grouped as packaging/appimage/excludelist groups it. debootstrap resolves their
# dependencies; Recommends are left out, as they are on a minimal install.
desktop_packages=(
    # glibc, the C++ runtime and the base libraries the exclude list leaves to the system.
    libc6 libstdc++6 libgcc-s1 zlib1g libuuid1 libexpat1 libcom-err2 libgpg-error0 libglib2.0-0
    # OpenGL/EGL: the dispatch libraries and Mesa's drivers (the software rasterizer serves Xvfb).
    libgl1 libegl1 libopengl0 libglx-mesa0 libegl-mesa0 libgl1-mesa-dri libgbm1 libdrm2
    # The X11 and Wayland client libraries a display server's clients load.
    libx11-6 libx11-xcb1 libxcb1 libxcb-dri2-0 libxcb-dri3-0 libxkbcommon0 libxkbcommon-x11-0
    libice6 libsm6 libwayland-client0 libwayland-cursor0 libwayland-egl1
    # Fonts and text shaping: the system's fontconfig must read the system's fonts.
    libfontconfig1 fontconfig-config libfreetype6 libharfbuzz0b libfribidi0 fonts-dejavu-core
    # fusermount3, which an unprivileged AppImage needs to mount itself (desktops have it).
    fuse3
)
# What the test itself needs: a virtual X server, and a user that is not root.
test_packages=(xvfb xauth passwd)

die() { echo "make-bare-root.sh: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: tests/packaging/make-bare-root.sh DIR"
root=$1
[[ $EUID -eq 0 ]] || die "debootstrap and chroot need root: run it as root (sudo)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
command -v zstd >/dev/null || die "zstd is missing: apt-get install zstd"

packages=$(printf '%s\n' "${desktop_packages[@]}" "${test_packages[@]}" | sort -u | paste -sd, -)
# The key is this script itself: its package lists, sources and steps make the root.
key=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${BARE_ROOT_CACHE:-$source_dir/build/bare-root-cache}
tarball=$cache/debian-$suite-minbase-$key.tar.zst
marker=.latent-bare-root

# A root made by this script carries its key; only such a root is ever replaced, and never while
# something is mounted inside it.
if [[ -e "$root" && -n "$(ls -A "$root")" ]]; then
    [[ -f "$root/$marker" ]] || die "$root exists and is not a root this script made: give a new or empty folder"
    if [[ "$(cat "$root/$marker")" == "$key" ]]; then
        echo "make-bare-root.sh: $root is up to date ($key)"
        exit 0
    fi
    root_path=$(realpath "$root")
    if grep -q " $root_path/" /proc/mounts; then
        die "something is still mounted inside $root: unmount it (grep $root_path /proc/mounts)"
    fi
    rm -rf --one-file-system "$root"
fi
mkdir -p "$root" "$cache"

if [[ ! -f "$tarball" ]]; then
    staging=$(mktemp -d "$cache/staging.XXXXXX")
    trap 'rm -rf --one-file-system "$staging"' EXIT
    echo "make-bare-root.sh: debootstrap $suite (minbase + ${#desktop_packages[@]} desktop and ${#test_packages[@]} test packages) from $mirror"
    if ! debootstrap --variant=minbase --include="$packages" "$suite" "$staging" "$mirror" \
        >"$cache/debootstrap.log" 2>&1; then
        tail -n 30 "$cache/debootstrap.log" >&2
        die "debootstrap failed (log: $cache/debootstrap.log)"
    fi
    # A dependency that pulled in Qt, the Vulkan loader, a compiler or sqlite3 would let a package
    # that forgot them pass, or the check read the database with the root's own tool.
    for absent in 'usr/lib/x86_64-linux-gnu/libQt6*' 'usr/lib/x86_64-linux-gnu/libqscintilla2*' \
        'usr/lib/x86_64-linux-gnu/libvulkan*' usr/bin/cc usr/bin/c++ usr/bin/sqlite3; do
        if compgen -G "$staging/$absent" >/dev/null; then
            die "the root has /$absent, which a bare system lacks: find the package that pulled it in (debootstrap.log) and drop it"
        fi
    done
    echo "$apt_sources" >"$staging/etc/apt/sources.list"
    # A booted Debian has /etc/mtab (systemd-tmpfiles makes it); a root that never booted lacks it,
    # and fusermount3 cannot unmount without it.
    ln -sf ../proc/self/mounts "$staging/etc/mtab"
    # The test's user, as a desktop's first user is made; the check gives it a fresh $HOME.
    chroot "$staging" useradd --create-home --uid 1000 --shell /bin/bash tester
    chroot "$staging" apt-get clean
    echo "$key" >"$staging/$marker"
    tar --numeric-owner --xattrs -C "$staging" -I 'zstd -T0 -3' -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    # A root made by an earlier version of this script is never used again.
    find "$cache" -maxdepth 1 -name "debian-$suite-minbase-*.tar.zst" ! -name "$(basename "$tarball")" -delete
fi
tar --numeric-owner --xattrs -C "$root" -I zstd -xf "$tarball"
echo "make-bare-root.sh: $root is a bare Debian $suite ($(du -sh --one-file-system "$root" | cut -f1), from $(basename "$tarball"))"
