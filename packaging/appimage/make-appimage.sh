#!/usr/bin/env bash
# Makes the AppImage from a build: the AppDir (the installed programs, every library and Qt part
# they load that a desktop system does not have, the desktop entry, icon and metainfo, AppRun),
# its SquashFS image, and the runtime in front of it.
#   packaging/appimage/make-appimage.sh BUILD_DIR RUNTIME OUTPUT.AppImage
# `cmake --build build --target appimage` runs it with build/packaging/appimage/runtime/appimage-runtime
# and build/Latent-<version>-x86_64.AppImage. QTPATHS names the qtpaths of the Qt the build used
# (default: qtpaths6). The AppDir stays in BUILD_DIR/packaging/appimage/AppDir for inspection.
#
# The default build is RelWithDebInfo: the programs are stripped (--strip-unneeded) in the AppDir,
# so the image is as small as a Release build's without a second build.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: $0 BUILD_DIR RUNTIME OUTPUT.AppImage" >&2
    exit 2
fi
build=$(realpath -m "$1")
runtime=$(realpath -m "$2")
output=$(realpath -m "$3")
here=$(dirname "$(realpath "$0")")
source_dir=$(realpath "$here/../..")
qtpaths=${QTPATHS:-qtpaths6}

fail() {
    echo "make-appimage.sh: $*" >&2
    exit 1
}

need_tool() { # tool, Debian package
    command -v "$1" >/dev/null || fail "$1 is missing: install $2 (packaging/debian-build-deps.sh)"
}
need_tool patchelf patchelf
need_tool mksquashfs squashfs-tools
need_tool rsvg-convert librsvg2-bin
need_tool strip binutils
need_tool ldd libc-bin
need_tool "$qtpaths" qt6-base-dev-tools
for program in latent latent-cli; do
    [[ -x "$build/bin/$program" ]] || fail "$build/bin/$program is missing: build the project in $build first"
done
[[ -x "$runtime" ]] || fail "the AppImage runtime $runtime is missing: build the appimage-runtime target"

qt_plugins=$("$qtpaths" --query QT_INSTALL_PLUGINS)
qt_qml=$("$qtpaths" --query QT_INSTALL_QML)
qt_translations=$("$qtpaths" --query QT_INSTALL_TRANSLATIONS)
qmlimportscanner="$("$qtpaths" --query QT_INSTALL_LIBEXECS)/qmlimportscanner"
[[ -x "$qmlimportscanner" ]] || fail "$qmlimportscanner is missing: install qt6-declarative-dev-tools"

work="$build/packaging/appimage"
appdir="$work/AppDir"
rm -rf "$appdir"
mkdir -p "$appdir"

# --- The programs, the desktop entry, the icon and the metainfo (the project's install rules) ---
cmake --install "$build" --prefix "$appdir/usr" >/dev/null
strip --strip-unneeded "$appdir/usr/bin/latent" "$appdir/usr/bin/latent-cli"

# --- Qt's plugins ------------------------------------------------------------------------------
# The platforms: X11 (xcb, with its OpenGL integrations), Wayland where qt6-wayland is installed
# (its plugin families with it), and offscreen for scripts without a display. Then images, icons,
# desktop themes, input methods (Chinese input goes through ibus) and TLS. Not bundled: sqldrivers
# (the store uses sqlite3 directly), printsupport (nothing prints), eglfs and the other
# display-less platforms.
copy_plugins() { # plugin folder, then file patterns in it (none: the whole folder)
    local folder=$1
    shift
    [[ -d "$qt_plugins/$folder" ]] || return 0
    mkdir -p "$appdir/usr/plugins/$folder"
    local patterns=("$@")
    [[ ${#patterns[@]} -gt 0 ]] || patterns=("*.so")
    local pattern
    for pattern in "${patterns[@]}"; do
        find "$qt_plugins/$folder" -maxdepth 1 -name "$pattern" -exec cp -L {} "$appdir/usr/plugins/$folder/" \;
    done
}
[[ -f "$qt_plugins/platforms/libqxcb.so" ]] || fail "Qt's xcb platform plugin is missing from $qt_plugins: install qt6-base-dev"
copy_plugins platforms libqxcb.so "libqwayland-*.so" libqoffscreen.so
for folder in xcbglintegrations wayland-decoration-client wayland-graphics-integration-client \
              wayland-shell-integration imageformats iconengines platformthemes platforminputcontexts tls; do
    copy_plugins "$folder"
done

# --- The QML modules the UI imports ------------------------------------------------------------
# Each module's folder, without the folders inside it that are modules of their own (QtQuick holds
# QtQuick/Controls, ...): those come only when imported too. The scanner follows the modules'
# own imports through their qmldir files.
copy_qml_module() { # module folder under $qt_qml
    local relative=${1#"$qt_qml"/}
    mkdir -p "$appdir/usr/qml/$relative"
    local entry
    for entry in "$1"/*; do
        if [[ -d "$entry" && -f "$entry/qmldir" ]]; then
            continue
        fi
        cp -RL "$entry" "$appdir/usr/qml/$relative/"
    done
}
qml_modules=$("$qmlimportscanner" -rootPath "$source_dir/ui/qml" -importPath "$qt_qml" |
              sed -n 's/^ *"path": "\(.*\)",\{0,1\}$/\1/p' | grep "^$qt_qml/" | sort -u)
[[ -n "$qml_modules" ]] || fail "qmlimportscanner found no Qt QML module under $qt_qml that ui/qml imports"
while IFS= read -r module; do
    copy_qml_module "$module"
done <<<"$qml_modules"

# --- Qt's own translations for the languages the app has ------------------------------------------
# The app loads qt_<lang>.qm, a catalogue that names the module catalogues it needs (qtbase_<lang>,
# ...); it loads only if all of them are there, so they come with it.
mkdir -p "$appdir/usr/translations"
for ts in "$source_dir"/ui/translations/latent_*.ts; do
    language=$(basename "$ts" .ts)
    language=${language#latent_}
    catalogue="$qt_translations/qt_$language.qm"
    [[ -f "$catalogue" ]] || fail "$catalogue is missing: install qt6-translations-l10n"
    cp "$catalogue" "$appdir/usr/translations/"
    for dependency in $(tr -d '\000' <"$catalogue" | grep -ao "qt[a-z]*_$language" | sort -u); do
        [[ -f "$qt_translations/$dependency.qm" ]] || fail "$qt_translations/$dependency.qm (named by $catalogue) is missing"
        cp "$qt_translations/$dependency.qm" "$appdir/usr/translations/"
    done
done

# qt.conf: Qt looks beside the program, and takes these paths relative to Prefix (usr/).
cat >"$appdir/usr/bin/qt.conf" <<'EOF'
[Paths]
Prefix = ..
Libraries = lib
Plugins = plugins
QmlImports = qml
Translations = translations
EOF

# --- The libraries ---------------------------------------------------------------------------
# Walked from the programs' and plugins' own needs (DT_NEEDED) down: each library not on the
# exclude list is copied into usr/lib under its soname, and its needs are walked in turn. An
# excluded library is not walked into: what it needs comes with it on the user's system (the
# system's libX11 brings its own libXdmcp and libbsd). ldd says where the loader finds each
# soname here.
excluded=$(grep -v '^#' "$here/excludelist" | grep -v '^$')
elf_files() {
    find "$appdir/usr" -type f \( -perm -u+x -o -name '*.so*' \) -exec sh -c 'head -c 4 "$1" | grep -q "ELF"' _ {} \; -print
}
declare -A found_at
while read -r soname path; do
    found_at[$soname]=$path
done < <(elf_files | xargs -d '\n' ldd 2>/dev/null | sed -n 's/^\s*\(\S*\) => \(\/.*\) (0x.*)$/\1 \2/p' | sort -u)
mkdir -p "$appdir/usr/lib"
needs=$(elf_files | xargs -d '\n' -n 1 patchelf --print-needed | sort -u)
while [[ -n "$needs" ]]; do
    more=""
    for soname in $needs; do
        if grep -qxF "$soname" <<<"$excluded" || [[ -e "$appdir/usr/lib/$soname" ]]; then
            continue
        fi
        [[ -n "${found_at[$soname]-}" ]] || fail "$soname, needed by the programs or a Qt plugin, is not installed here"
        cp -L "${found_at[$soname]}" "$appdir/usr/lib/$soname"
        more+=" $(patchelf --print-needed "$appdir/usr/lib/$soname")"
    done
    needs=$more
done

# Each ELF file finds the bundled libraries through a RUNPATH relative to itself
# (usr/bin: $ORIGIN/../lib, usr/plugins/<folder>: $ORIGIN/../../lib, usr/lib: $ORIGIN).
while IFS= read -r file; do
    relative=$(realpath --relative-to="$(dirname "$file")" "$appdir/usr/lib")
    [[ "$relative" == . ]] && runpath="\$ORIGIN" || runpath="\$ORIGIN/$relative"
    chmod u+w "$file"
    patchelf --set-rpath "$runpath" "$file"
done < <(elf_files)

# --- The AppDir's root: AppRun, the desktop entry and the icon ---------------------------------
install -m 755 "$here/AppRun" "$appdir/AppRun"
cp "$appdir/usr/share/applications/io.latent.Latent.desktop" "$appdir/"
icons="$appdir/usr/share/icons/hicolor"
mkdir -p "$icons/256x256/apps"
rsvg-convert -w 256 -h 256 "$icons/scalable/apps/io.latent.Latent.svg" -o "$icons/256x256/apps/io.latent.Latent.png"
ln -s usr/share/icons/hicolor/scalable/apps/io.latent.Latent.svg "$appdir/io.latent.Latent.svg"
ln -s usr/share/icons/hicolor/256x256/apps/io.latent.Latent.png "$appdir/.DirIcon"

# --- The image -------------------------------------------------------------------------------
image="$work/Latent.squashfs"
mksquashfs "$appdir" "$image" -comp zstd -root-owned -noappend -quiet >/dev/null
cat "$runtime" "$image" >"$output"
chmod 755 "$output"
echo "make-appimage.sh: $output: $(du -m "$output" | cut -f1) MiB" \
     "($(find "$appdir/usr/lib" -type f | wc -l) libraries, $(du -sm "$appdir" | cut -f1) MiB unpacked)"
