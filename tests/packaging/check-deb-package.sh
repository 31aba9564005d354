#!/usr/bin/env bash
# Checks what the Debian package holds and declares, without installing it:
#   tests/packaging/check-deb-package.sh build/latent_<version>_amd64.deb
# (made by `cpack -G DEB` in the build folder). check-in-bare-root.sh installs and runs it.
#   - it holds exactly the two programs, the desktop entry, icon, AppStream metainfo, copyright
#     and changelog: no test binary or library slipped in through an install rule;
#   - Depends names what dpkg-shlibdeps found (Qt Quick, QScintilla) and every QML module the UI
#     imports (the qml6-module-* list of packaging/debian-build-deps.sh, less qttest);
#   - lintian finds no error;
#   - apt-get can resolve it here (a simulated install).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 PATH/latent_VERSION_amd64.deb" >&2
    exit 2
fi
deb=$(realpath "$1")
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$deb" ]; then
    echo "check-deb-package: $deb is missing: run 'cpack -G DEB' in the build folder first" >&2
    exit 1
fi
for tool in dpkg-deb:dpkg lintian:lintian apt-get:apt; do
    if ! command -v "${tool%%:*}" >/dev/null; then
        echo "check-deb-package: ${tool%%:*} is missing: apt-get install ${tool##*:}" >&2
        exit 1
    fi
done
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

expected_files="./usr/bin/latent
./usr/bin/latent-cli
./usr/share/applications/io.latent.Latent.desktop
./usr/share/doc/latent/changelog.gz
./usr/share/doc/latent/copyright
./usr/share/icons/hicolor/scalable/apps/io.latent.Latent.svg
./usr/share/metainfo/io.latent.Latent.metainfo.xml"
files=$(dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ {print $6}' | sort)
if [ "$files" != "$expected_files" ]; then
    fail "the package's files differ from the expected ones (< expected, > in the package):"
    diff <(echo "$expected_files") <(echo "$files") >&2 || true
fi

depends=$(dpkg-deb --field "$deb" Depends)
required=(libqt6quick6 libqscintilla2-qt6-15)
mapfile -t qml_modules < <(grep -o 'qml6-module-[a-z0-9-]*' "$source_dir/packaging/debian-build-deps.sh" \
                           | grep -vx qml6-module-qttest | sort -u)
if [ ${#qml_modules[@]} -eq 0 ]; then
    fail "packaging/debian-build-deps.sh names no qml6-module-* package"
fi
for package in "${required[@]}" "${qml_modules[@]}"; do
    if ! grep -Eq "(^|, )$package( |,|$)" <<<"$depends"; then
        fail "Depends lacks $package: $depends"
    fi
done

if ! lintian --fail-on error "$deb"; then
    fail "lintian found errors (above)"
fi

if ! simulation=$(apt-get install --simulate "$deb" 2>&1); then
    fail "apt-get cannot install it here: $simulation"
elif ! grep -q '^Inst latent ' <<<"$simulation"; then
    fail "apt-get's simulated install does not install latent: $simulation"
fi

if [ "$failures" -ne 0 ]; then
    echo "check-deb-package: $failures check(s) failed for $deb" >&2
    exit 1
fi
echo "check-deb-package: $(basename "$deb") ($(stat -c %s "$deb") bytes) holds $(wc -l <<<"$files") files and declares what it needs"
