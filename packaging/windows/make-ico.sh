#!/usr/bin/env bash
# Makes packaging/windows/latent.ico, the icon of latent.exe, its Start menu shortcut and the
# installer, from resources/icons/latent.svg. Windows has no SVG renderer or icon packer a build
# can count on, so the .ico is made here, on Debian, and committed: run this after changing the
# SVG. rsvg-convert renders each size Windows asks for; icotool packs them, the 256-pixel one as
# PNG as Windows expects.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
svg=$root/resources/icons/latent.svg
ico=$root/packaging/windows/latent.ico
for tool in rsvg-convert:librsvg2-bin icotool:icoutils; do
    if ! command -v "${tool%%:*}" >/dev/null; then
        echo "make-ico.sh: ${tool%%:*} is missing: apt-get install ${tool##*:}" >&2
        exit 1
    fi
done
if [ ! -f "$svg" ]; then
    echo "make-ico.sh: the icon $svg is missing" >&2
    exit 1
fi

pngs=$(mktemp -d)
trap 'rm -rf "$pngs"' EXIT
for size in 16 24 32 48 64 256; do
    rsvg-convert -w "$size" -h "$size" "$svg" -o "$pngs/$size.png"
done
icotool --create --output="$ico" \
    "$pngs/16.png" "$pngs/24.png" "$pngs/32.png" "$pngs/48.png" "$pngs/64.png" --raw="$pngs/256.png"
echo "$ico: $(stat -c %s "$ico") bytes"
