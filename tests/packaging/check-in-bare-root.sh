#!/usr/bin/env bash
# Runs the Linux packages on a bare Debian root (made by make-bare-root.sh), as its user would:
#   tests/packaging/check-in-bare-root.sh ROOT APPIMAGE [DEB]
# Needs root (chroot and mounts) and, for the .deb, Debian's archive (apt resolves its Depends).
#
# Each case runs in its own overlay over ROOT, so ROOT stays as made and every case starts from the
# same bare system with a fresh $HOME. Everything runs in a private mount namespace: the overlay,
# /proc, /dev and /tmp mounted for the chroot vanish with it, however the script ends.
#   1. AppImage, --appimage-extract-and-run (no FUSE needed): the app starts under Xvfb with a tiny
#      test model made by the AppImage's own latent-cli, answers, keeps the conversation in its
#      database in $HOME, and takes a screenshot; latent-cli version and run work.
#      --appimage-extract works, and every library of every file it holds is found there.
#   2. AppImage mounted through FUSE, where the kernel offers FUSE: the same CLI checks, and the
#      mount gone afterwards. Without /dev/fuse: a message naming --appimage-extract-and-run, and
#      APPIMAGE_EXTRACT_AND_RUN=1 works.
#   3. .deb: apt-get install ./latent_*.deb, then the same checks as 1 with /usr/bin/latent.
# Screenshots are kept in build/bare-root-check/ (BARE_CHECK_OUTPUT moves them). LATENT_REQUIRE_FUSE=1
# makes a kernel without FUSE a failure instead of a skipped case.
set -euo pipefail

die() { echo "check-in-bare-root.sh: $*" >&2; exit 1; }

[[ $# -eq 2 || $# -eq 3 ]] || die "usage: tests/packaging/check-in-bare-root.sh ROOT APPIMAGE [DEB]"
[[ $EUID -eq 0 ]] || die "chroot and mounts need root: run it as root (sudo)"
root=$(realpath "$1")
appimage=$(realpath "$2")
deb=${3:+$(realpath "$3")}
[[ -f "$root/.latent-bare-root" ]] || die "$root is not a bare root: make it with tests/packaging/make-bare-root.sh $1"
[[ -f "$appimage" ]] || die "$appimage is missing: build it with cmake --build build --target appimage"
[[ -z "$deb" || -f "$deb" ]] || die "$deb is missing: make it with (cd build && cpack -G DEB)"
for tool in unshare chroot sqlite3; do
    command -v "$tool" >/dev/null || die "$tool is missing on this machine: apt-get install ${tool/unshare/util-linux}"
done

# Mounts made from here on belong to a private mount namespace and end with it.
if [[ -z "${LATENT_BARE_CHECK_NAMESPACE:-}" ]]; then
    LATENT_BARE_CHECK_NAMESPACE=1 exec unshare --mount --propagation private -- "$0" "$@"
fi

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
output=${BARE_CHECK_OUTPUT:-$source_dir/build/bare-root-check}
mkdir -p "$output"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/bare-root-check.XXXXXX")
trap 'umount -R "$scratch"/*/merged 2>/dev/null || true; rm -rf --one-file-system "$scratch"' EXIT

tester_home=/home/tester
database_in_home=.local/share/Latent/Latent/latent.sqlite3
appimage_in_root=/opt/Latent-x86_64.AppImage

step() { echo "== $*"; }

# A fresh copy-on-write view of ROOT at $scratch/NAME/merged, with what a running system mounts.
enter_fresh_root() {
    local name=$1 case_dir=$scratch/$1
    mkdir -p "$case_dir"/{upper,work,merged}
    mount -t overlay "overlay-$name" -o "lowerdir=$root,upperdir=$case_dir/upper,workdir=$case_dir/work" "$case_dir/merged"
    mount -t proc proc "$case_dir/merged/proc"
    mount_desktop_dev "$case_dir/merged/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$case_dir/merged/tmp"
    cp /etc/resolv.conf "$case_dir/merged/etc/resolv.conf"
    echo "$case_dir/merged"
}

# The device nodes a desktop's udev makes, with its permissions: /dev/fuse is open to every user
# there (this machine's may be root's only), and an unprivileged AppImage mounts through it.
mount_desktop_dev() {
    local dev=$1 node name major minor
    mount -t tmpfs -o mode=755,nosuid tmpfs "$dev"
    for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0 fuse:10:229; do
        IFS=: read -r name major minor <<<"$node"
        if [[ -c "/dev/$name" ]]; then
            mknod -m 666 "$dev/$name" c "$major" "$minor"
        fi
    done
    mkdir "$dev/pts" "$dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$dev/pts"
    ln -s pts/ptmx "$dev/ptmx"
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$dev/shm"
    ln -s /proc/self/fd "$dev/fd"
}

# Runs a shell command line in the root as its user, with a desktop session's environment and
# nothing of this machine's.
as_tester() {
    local merged=$1 command=$2
    install -d -m 700 -o 1000 -g 1000 "$merged/tmp/runtime-tester"
    chroot --userspec=1000:1000 "$merged" /usr/bin/env -i \
        HOME="$tester_home" USER=tester LOGNAME=tester SHELL=/bin/bash LANG=C.UTF-8 \
        PATH=/usr/local/bin:/usr/bin:/bin XDG_RUNTIME_DIR=/tmp/runtime-tester \
        /bin/bash -c "cd && $command"
}

# The start-and-answer check: a tiny model made by the package's own CLI, the app started on it
# under Xvfb with a message to send, a screenshot of the answer, and the conversation in the
# database in $HOME. LATENT and CLI are how the package starts the app and the CLI.
check_start_and_answer() {
    local name=$1 merged=$2 latent=$3 cli=$4 started=$SECONDS
    step "$name: latent-cli make-test-model"
    as_tester "$merged" "$cli make-test-model --preset tiny-coder -o model.gguf" ||
        die "$name: latent-cli make-test-model failed (its output is above)"
    step "$name: latent --send hello --screenshot under Xvfb"
    as_tester "$merged" "timeout 300 xvfb-run -a -s '-screen 0 1280x800x24' \
        $latent --model model.gguf --send hello --screenshot screenshot.png" ||
        die "$name: the app failed to start, answer or take its screenshot (its output is above)"
    check_screenshot "$name" "$merged$tester_home/screenshot.png"
    check_database "$name" "$merged$tester_home/$database_in_home"
    check_cli "$name" "$merged" "$cli"
    echo "$name: start and answer passed in $(( SECONDS - started ))s"
}

check_screenshot() {
    local name=$1 png=$2 size
    [[ -f "$png" ]] || die "$name: the app wrote no screenshot ($png)"
    [[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] || die "$name: $png is not a PNG"
    size=$(stat -c %s "$png")
    # A window with text in it is tens of kilobytes; a blank or failed grab is far smaller.
    (( size > 20000 )) || die "$name: the screenshot is only $size bytes: the window was probably blank"
    cp "$png" "$output/$name.png"
    echo "$name: screenshot $size bytes, kept as $output/$name.png"
}

# Read with this machine's sqlite3: the bare system has none, as a desktop has none.
check_database() {
    local name=$1 database=$2 question answer
    [[ -f "$database" ]] || die "$name: no database at \$HOME/$database_in_home"
    question=$(sqlite3 "$database" "SELECT count(*) FROM messages WHERE role = 'user' AND content = 'hello'")
    answer=$(sqlite3 "$database" "SELECT length(content) FROM messages WHERE role = 'assistant' ORDER BY id DESC LIMIT 1")
    [[ "$question" == 1 ]] || die "$name: the database holds $question messages 'hello' from the user, not 1"
    [[ -n "$answer" && "$answer" -gt 0 ]] || die "$name: the database holds no answer to 'hello'"
    echo "$name: database in \$HOME holds the question and a ${answer}-character answer"
}

# The CLI's version must be the one the package's file name carries.
check_cli() {
    local name=$1 merged=$2 cli=$3 version generated
    version=$(as_tester "$merged" "$cli version" | head -n 1) || die "$name: latent-cli version failed (its output is above)"
    [[ "$version" == "Latent $package_version" ]] || die "$name: latent-cli version printed '$version', not 'Latent $package_version'"
    echo "$name: latent-cli version: $version"
    generated=$(as_tester "$merged" "$cli run -m model.gguf -p hi -n 8") || die "$name: latent-cli run failed (its output is above)"
    [[ -n "$generated" ]] || die "$name: latent-cli run printed nothing"
    echo "$name: latent-cli run -p hi -n 8: $(wc -c <<<"$generated") bytes of output"
}

# FUSE is offered when the kernel knows the file system and has the device; fusermount3 (setuid,
# from the root's fuse3) mounts and unmounts for the unprivileged user.
fuse_refusal() {
    grep -qw fuse /proc/filesystems || { echo "the kernel has no FUSE file system"; return; }
    [[ -c /dev/fuse ]] || { echo "there is no /dev/fuse"; return; }
    return 1
}

check_fuse_mount() {
    local merged=$1 refusal started=$SECONDS
    if refusal=$(fuse_refusal); then
        # CI sets LATENT_REQUIRE_FUSE=1: there, a skipped case would pass having run less.
        [[ "${LATENT_REQUIRE_FUSE:-0}" != 1 ]] || die "appimage-fuse: $refusal, and LATENT_REQUIRE_FUSE=1 requires the FUSE case"
        echo "appimage-fuse: SKIPPED: $refusal, so only --appimage-extract-and-run was checked"
        return
    fi
    step "appimage-fuse: the AppImage mounted through FUSE"
    check_cli appimage-fuse "$merged" "$appimage_in_root $appimage_cli"
    if awk -v under="$merged/" '$3 ~ /^fuse/ && index($2, under) == 1' /proc/mounts | grep -q . ||
        compgen -G "$merged/tmp/.mount_*" >/dev/null; then
        die "appimage-fuse: the AppImage left its mount behind in /tmp"
    fi
    echo "appimage-fuse: passed in $(( SECONDS - started ))s"
}

# A machine without FUSE (a container, say): the AppImage must say what to do, not fail silently,
# and run when told to extract itself.
check_without_fuse() {
    local merged=$1 message version
    step "appimage-no-fuse: the AppImage on a system without /dev/fuse"
    rm -f "$merged/dev/fuse"
    if message=$(as_tester "$merged" "$appimage_in_root $appimage_cli version" 2>&1); then
        die "appimage-no-fuse: the AppImage ran without FUSE and without being told to extract itself"
    fi
    [[ "$message" == *--appimage-extract-and-run* ]] ||
        die "appimage-no-fuse: without FUSE the AppImage did not point to --appimage-extract-and-run: $message"
    version=$(as_tester "$merged" "APPIMAGE_EXTRACT_AND_RUN=1 $appimage_in_root $appimage_cli version" | head -n 1) ||
        die "appimage-no-fuse: with APPIMAGE_EXTRACT_AND_RUN=1 latent-cli version failed (its output is above)"
    [[ "$version" == "Latent $package_version" ]] ||
        die "appimage-no-fuse: with APPIMAGE_EXTRACT_AND_RUN=1 latent-cli version printed '$version'"
    echo "appimage-no-fuse: points to --appimage-extract-and-run, and runs with APPIMAGE_EXTRACT_AND_RUN=1"
}

# Every program and plugin in the AppImage, loaded or not by the start check (the Wayland platform,
# image formats, TLS), finds each library it links against: bundled, or one the bare system has.
check_libraries_resolve() {
    local merged=$1 extracted=$tester_home/squashfs-root files file missing
    step "appimage: --appimage-extract, and every library of the extracted files found"
    as_tester "$merged" "$appimage_in_root --appimage-extract >/dev/null" ||
        die "appimage: --appimage-extract failed (its output is above)"
    mapfile -d '' files < <(cd "$merged" && find ".$extracted/usr" -type f \( -name '*.so*' -o -path '*/bin/*' \) -print0)
    (( ${#files[@]} > 0 )) || die "appimage: --appimage-extract extracted no program to $extracted"
    # ldd fails on a file that is not a dynamic ELF (a script), and names a library missing deeper
    # down once for each library that needs it.
    missing=$(for file in "${files[@]}"; do
        chroot "$merged" ldd "${file#.}" 2>/dev/null | awk -v file="${file#.}" '/not found/ {print file " needs " $1}' || true
    done | sort -u)
    if [[ -n "$missing" ]]; then
        echo "$missing" >&2
        die "appimage: the files above need libraries that are neither in the AppImage nor on a bare system"
    fi
    echo "appimage: every library of the ${#files[@]} programs and libraries extracted is found"
}

# --appimage-extract-and-run removes what it extracted when the program ends.
check_nothing_extracted_left() {
    local merged=$1 left
    left=$(find "$merged/tmp" -name latent-cli -print -quit)
    [[ -z "$left" ]] || die "appimage: an extracted copy was left behind: ${left#"$merged"}"
}

echo "AppImage: $(basename "$appimage"), $(stat -c %s "$appimage") bytes ($(du -h "$appimage" | cut -f1))"
[[ "$(basename "$appimage")" =~ ^Latent-(.+)-x86_64\.AppImage$ ]] ||
    die "$appimage is not named Latent-<version>-x86_64.AppImage, so its version is unknown"
package_version=${BASH_REMATCH[1]}

# How the AppImage reaches latent-cli: its AppRun runs the CLI when the first argument is "cli".
appimage_cli=cli

merged=$(enter_fresh_root appimage)
install -m 755 "$appimage" "$merged$appimage_in_root"
check_start_and_answer appimage "$merged" \
    "$appimage_in_root --appimage-extract-and-run" "$appimage_in_root --appimage-extract-and-run $appimage_cli"
check_nothing_extracted_left "$merged"
check_libraries_resolve "$merged"
check_fuse_mount "$merged"
check_without_fuse "$merged"
check_nothing_extracted_left "$merged"

if [[ -n "$deb" ]]; then
    [[ "$(basename "$deb")" == "latent_${package_version}_amd64.deb" ]] ||
        die "$deb is not latent_${package_version}_amd64.deb: give the .deb of the AppImage's version"
    merged=$(enter_fresh_root deb)
    started=$SECONDS
    step "deb: apt-get install ./$(basename "$deb")"
    cp "$deb" "$merged/tmp/"
    # Without Recommends (libvulkan1 among them): the package's Depends alone must make it run, and
    # the system stays without a Vulkan loader.
    chroot "$merged" /bin/bash -c "apt-get update -qq && \
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ./tmp/$(basename "$deb")" \
        >"$scratch/apt.log" 2>&1 || { tail -n 30 "$scratch/apt.log" >&2; die "deb: apt-get install failed"; }
    echo "deb: installed with $(grep -c '^Setting up' "$scratch/apt.log") packages in $(( SECONDS - started ))s"
    check_start_and_answer deb "$merged" /usr/bin/latent /usr/bin/latent-cli
fi
echo "check-in-bare-root.sh: every check passed"
