#!/usr/bin/env bash
# Checks that an AppImage's AppDir holds everything Latent loads, on this (build) machine:
#   tests/packaging/check-appdir.sh Latent-<version>-x86_64.AppImage
# It extracts the image with unsquashfs at the offset the runtime reports, then
#   - every library an ELF file of the AppDir needs is in its usr/lib, found through the file's
#     RUNPATH, except those on packaging/appimage/excludelist (the system's own);
#   - the Qt plugins, every QML module the UI imports (with its plugin library), Qt's translations
#     and qt.conf are there; the desktop entry, the metainfo and the icons are valid;
#   - AppRun starts latent-cli (`cli`, and a link named latent-cli), and the app on the offscreen
#     platform loads a test model, answers and saves a screenshot, with every Qt library, plugin
#     and QML module it loads taken from the AppDir.
# The same AppImage on a system without Qt is tested by the bare-system test.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 APPIMAGE" >&2
    exit 2
fi
appimage=$(realpath -m "$1")
source_dir=$(realpath "$(dirname "$0")/../..")
for tool in unsquashfs:squashfs-tools patchelf:patchelf desktop-file-validate:desktop-file-utils appstreamcli:appstream file:file \
            qtpaths6:qt6-base-dev-tools; do
    if ! command -v "${tool%%:*}" >/dev/null; then
        echo "check-appdir.sh: ${tool%%:*} is missing: install ${tool#*:}" >&2
        exit 1
    fi
done
[[ -x "$appimage" ]] || { echo "check-appdir.sh: $appimage is missing: build the appimage target" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
root="$scratch/squashfs-root"
unsquashfs -q -no-progress -o "$("$appimage" --appimage-offset)" -d "$root" "$appimage" >/dev/null

failures=()
fail() { failures+=("$*"); }
excluded=$(grep -v '^#' "$source_dir/packaging/appimage/excludelist" | grep -v '^$')
is_excluded() { grep -qxF "$1" <<<"$excluded"; }

# --- Libraries ---------------------------------------------------------------------------------
# Each ELF file's RUNPATH leads to usr/lib, each library it needs is there or excluded, and the
# loader resolves everything with LD_LIBRARY_PATH unset.
elf_count=0
while IFS= read -r elf; do
    elf_count=$((elf_count + 1))
    name=${elf#"$root"/}
    runpath=$(patchelf --print-rpath "$elf")
    if [[ "$(realpath -m "${runpath/\$ORIGIN/$(dirname "$elf")}")" != "$root/usr/lib" ]]; then
        fail "$name: its RUNPATH '$runpath' does not lead to usr/lib"
    fi
    for soname in $(patchelf --print-needed "$elf"); do
        [[ -e "$root/usr/lib/$soname" ]] || is_excluded "$soname" ||
            fail "$name needs $soname, which is neither in usr/lib nor on the exclude list"
    done
    unresolved=$(env -u LD_LIBRARY_PATH ldd "$elf" | sed -n 's/^\s*\(\S*\) => not found.*/\1/p')
    [[ -z "$unresolved" ]] || fail "$name: the loader finds no ${unresolved//$'\n'/ }"
done < <(find "$root/usr" -type f -exec sh -c 'head -c 4 "$1" | grep -q ELF' _ {} \; -print)
[[ $elf_count -gt 50 ]] || fail "only $elf_count ELF files in the AppDir"

# --- Qt's plugins, QML modules, translations and qt.conf -----------------------------------------
plugins=(platforms/libqxcb.so platforms/libqoffscreen.so xcbglintegrations/libqxcb-glx-integration.so
         xcbglintegrations/libqxcb-egl-integration.so platforminputcontexts/libibusplatforminputcontextplugin.so
         imageformats/libqjpeg.so tls/libqcertonlybackend.so)
if [[ -f "$(qtpaths6 --query QT_INSTALL_PLUGINS)/platforms/libqwayland-generic.so" ]]; then
    plugins+=(platforms/libqwayland-generic.so wayland-shell-integration/libxdg-shell.so)
fi
for plugin in "${plugins[@]}"; do
    [[ -f "$root/usr/plugins/$plugin" ]] || fail "the Qt plugin $plugin is missing"
done

# Each module the UI imports, resolved against the AppDir's qml folder only: its qmldir, and the
# plugin library the qmldir names.
modules=$("$(qtpaths6 --query QT_INSTALL_LIBEXECS)/qmlimportscanner" -rootPath "$source_dir/ui/qml" -importPath "$root/usr/qml" |
          awk -F'"' '/^ *\{/ {name = ""; path = ""; type = ""}
                     $2 == "name" {name = $4} $2 == "path" {path = $4} $2 == "type" {type = $4}
                     /^ *\}/ && type == "module" {print name, (path == "" ? "-" : path)}')
grep -q '^QtQuick ' <<<"$modules" || fail "the QML scan did not reach QtQuick"
while read -r name path; do
    [[ "$name" != Latent.* ]] || continue # ours, built into the program
    if [[ "$path" != "$root/usr/qml/"* || ! -f "$path/qmldir" ]]; then
        fail "the QML module $name is missing from usr/qml"
        continue
    fi
    while read -r plugin; do
        [[ -f "$path/lib$plugin.so" ]] || fail "the QML module $name lacks its plugin lib$plugin.so"
    done < <(awk '$1 == "plugin" {print $2} $1 == "optional" && $2 == "plugin" {print $3}' "$path/qmldir")
done <<<"$modules"

for ts in "$source_dir"/ui/translations/latent_*.ts; do
    language=$(basename "$ts" .ts)
    [[ -f "$root/usr/translations/qt_${language#latent_}.qm" ]] || fail "Qt's translation qt_${language#latent_}.qm is missing"
done
for key in Plugins QmlImports Translations; do
    folder=$(sed -n "s/^$key = //p" "$root/usr/bin/qt.conf")
    [[ -n "$folder" && -d "$root/usr/$folder" ]] || fail "qt.conf's $key does not name a folder of usr/"
done

# --- Desktop entry, metainfo, icons ----------------------------------------------------------------
desktop="$root/io.latent.Latent.desktop"
desktop-file-validate "$desktop" || fail "the desktop entry does not validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.latent.Latent.metainfo.xml" >/dev/null ||
    fail "the AppStream metainfo does not validate"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[[ -e "$root/$icon.svg" || -e "$root/$icon.png" ]] || fail "the icon $icon named by the desktop entry is not at the AppDir's root"
file -L "$root/.DirIcon" | grep -q 'PNG image data, 256 x 256' || fail ".DirIcon is not a 256x256 PNG"

# --- The programs, started through AppRun ----------------------------------------------------
# A clean environment: nothing of the build's or the shell's reaches them.
home="$scratch/home"
mkdir -p "$home/runtime"
chmod 700 "$home" "$home/runtime"
clean=(env -i "HOME=$home" "PATH=/usr/bin:/bin" "XDG_RUNTIME_DIR=$home/runtime" "LANG=C.UTF-8")
version=$(basename "$appimage" | sed -n 's/^Latent-\(.*\)-x86_64\.AppImage$/\1/p')
"${clean[@]}" "$root/AppRun" cli version | grep -qx "Latent $version" || fail "AppRun cli version does not print Latent $version"
"${clean[@]}" ARGV0=/somewhere/latent-cli "$root/AppRun" version | grep -qx "Latent $version" ||
    fail "AppRun run as latent-cli (ARGV0) does not start latent-cli"
"${clean[@]}" "$root/AppRun" cli make-test-model --preset tiny-coder -o "$home/model.gguf" >"$scratch/model.log" 2>&1 ||
    fail "AppRun cli make-test-model failed: $(cat "$scratch/model.log")"
if ! (cd "$home" && "${clean[@]}" QT_QPA_PLATFORM=offscreen LD_DEBUG=files LD_DEBUG_OUTPUT="$scratch/loader" \
          "$root/AppRun" --database "$home/latent.sqlite3" --model "$home/model.gguf" --send Hello \
          --screenshot "$home/window.png" >"$scratch/app.log" 2>&1); then
    cat "$scratch/app.log" >&2
    fail "the app did not start, answer and save its screenshot from the AppDir"
fi
file "$home/window.png" | grep -q 'PNG image data' || fail "the app saved no screenshot"
# A QML module or plugin that does not load is a warning, not an exit status.
if grep -E 'is not installed|Cannot load library|Could not (load|find) the Qt platform plugin' "$scratch/app.log" >&2; then
    fail "the app could not load a part of Qt from the AppDir (its messages above)"
fi
loaded_from_host=$(cat "$scratch"/loader.* | sed -n 's/.*calling init: //p' | grep -v "^$root/" |
                   grep -E '/qt6/|/libQt6|/libqscintilla' | sort -u || true)
[[ -z "$loaded_from_host" ]] || fail "the app loaded Qt parts from the system, not the AppDir: $loaded_from_host"

if [[ ${#failures[@]} -gt 0 ]]; then
    printf 'check-appdir.sh: %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "check-appdir.sh: $appimage: $elf_count ELF files resolve inside the AppDir or to the exclude list;" \
     "$(wc -l <<<"$modules") QML imports, ${#plugins[@]} plugins checked; the app answered from the AppDir"
