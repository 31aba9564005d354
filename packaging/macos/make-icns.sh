#!/usr/bin/env bash
# Makes Latent.app's icon, latent.icns, from the SVG icon at build time on macOS: rsvg-convert
# renders every size an .iconset holds (16 to 512 points, each at 1x and 2x) and Apple's
# iconutil packs them. No tool that writes .icns runs on Linux, so the icon is made where it is used.
# Usage: make-icns.sh ICON.svg OUT.icns
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 ICON.svg OUT.icns" >&2
    exit 2
fi
svg=$1
icns=$2
if [ ! -f "$svg" ]; then
    echo "make-icns.sh: the icon $svg is missing" >&2
    exit 1
fi
for tool in rsvg-convert iconutil; do
    if ! command -v "$tool" >/dev/null; then
        case $tool in
            rsvg-convert) echo "make-icns.sh: rsvg-convert is missing: brew install librsvg" >&2 ;;
            iconutil) echo "make-icns.sh: iconutil is missing: it comes with Xcode's command line tools (xcode-select --install)" >&2 ;;
        esac
        exit 1
    fi
done

iconset=$(mktemp -d)/latent.iconset
trap 'rm -rf "$(dirname "$iconset")"' EXIT
mkdir "$iconset"
for points in 16 32 128 256 512; do
    rsvg-convert -w "$points" -h "$points" "$svg" -o "$iconset/icon_${points}x${points}.png"
    rsvg-convert -w $((points * 2)) -h $((points * 2)) "$svg" -o "$iconset/icon_${points}x${points}@2x.png"
done
iconutil --convert icns --output "$icns" "$iconset"
