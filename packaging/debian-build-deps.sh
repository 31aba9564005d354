#!/usr/bin/env bash
# Installs what building and testing Latent needs on Debian 12 (bookworm), and nothing when it
# is all there already. Runs apt-get through sudo when not run as root.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev python3
    # engine and command line
    libfmt-dev libcli11-dev libpcre2-dev nlohmann-json3-dev
    # latent-cli serve: the HTTP server (and the client its tests use)
    libcpp-httplib-dev
    # Vulkan: headers, the shader compiler and validator, Mesa's lavapipe for CI
    libvulkan-dev glslang-tools spirv-tools mesa-vulkan-drivers
    # the desktop app and the tests
    qt6-base-dev qt6-declarative-dev libgl-dev
    # remote engines: their API keys in the platform's secret store
    qtkeychain-qt6-dev
    # the code editor panel: QScintilla (the editor view) and dtl (the diff preview)
    libqscintilla2-qt6-dev libdtl-dev
    # every QML module the UI and its tests import, as tests/ui/test_qml_modules.cpp finds them
    qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
    qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtquick-controls
    qml6-module-qtquick-layouts qml6-module-qtquick-templates qml6-module-qtquick-shapes
    qml6-module-qttest
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libsqlite3-dev sqlite3
    # a real X server for UI checks and screenshots
    xvfb xauth fonts-dejavu-core
    # the AppImage: our runtime (static squashfuse, FUSE 3 and the decompressors squashfuse was
    # built with), the AppDir (patchelf, the Wayland plugins, the icon, the desktop and AppStream
    # checks) and its image
    libsquashfuse-dev libfuse3-dev libzstd-dev liblz4-dev liblzo2-dev liblzma-dev zlib1g-dev
    squashfs-tools patchelf file qt6-wayland librsvg2-bin desktop-file-utils appstream
    qt6-base-dev-tools qt6-declarative-dev-tools
    # the server's conformance tests run the openai npm client (npm: below)
    nodejs
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
# npm only where no npm command exists: Debian's nodejs comes without it, but NodeSource's nodejs
# bundles its own, and Debian's npm package conflicts with that. So it is looked for after nodejs.
if [ ${#missing[@]} -eq 0 ] && command -v npm >/dev/null; then
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ! command -v npm >/dev/null; then
    echo "Installing: npm"
    "${sudo[@]}" apt-get install -y --no-install-recommends npm
fi
