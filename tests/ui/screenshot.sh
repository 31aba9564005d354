#!/usr/bin/env bash
# Takes the README's picture of the desktop app, on a virtual X server, from an existing build:
#   tests/ui/screenshot.sh [BUILD_DIR] [OUTPUT_PNG]       (defaults: build, resources/screenshots/chat.png)
# THEME=dark or LANGUAGE_CODE=zh_CN pick the look (defaults: light, en).
#
# What the picture shows, honestly: the real window over a temporary database, a real model file
# loaded by the app (a random-weights test model, so its live answer is gibberish), and one
# conversation seeded beforehand by seed_screenshot_conversation (a question and an answer written
# in advance, marked "seeded example", so that the picture shows how markdown and code render).
# The live question and its answer follow the seeded ones in that conversation. Beside the chat,
# the code editor has a Python file open, and the grey ghost text at its cursor is a live
# completion by the same model (gibberish too, for the same reason).
set -euo pipefail

build=${1:-build}
output=${2:-resources/screenshots/chat.png}
theme=${THEME:-light}
language=${LANGUAGE_CODE:-en}

for program in latent latent-cli seed_screenshot_conversation; do
    if [[ ! -x "$build/bin/$program" ]]; then
        echo "screenshot.sh: $build/bin/$program is missing: build the project (with tests) in $build first" >&2
        exit 1
    fi
done
if ! command -v xvfb-run >/dev/null; then
    echo "screenshot.sh: xvfb-run is missing: install xvfb and xauth" >&2
    exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Settings and data of this run stay in the scratch folder, never the user's.
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"

if ! "$build/bin/latent-cli" make-test-model --preset tiny-coder -o "$scratch/model.gguf" >"$scratch/model.log" 2>&1; then
    cat "$scratch/model.log" >&2
    exit 1
fi
conversation=$("$build/bin/seed_screenshot_conversation" "$scratch/chat.sqlite3")
mkdir -p "$scratch/project"
cat >"$scratch/project/shapes.py" <<'PYTHON'
"""Areas and perimeters of simple shapes."""

import math


def circle_area(radius: float) -> float:
    """The area of a circle."""
    return math.pi * radius ** 2


def rectangle_area(width: float, height: float) -> float:
    return width * height


def rectangle_perimeter(width: float, height: float) -> float:
    return 


if __name__ == "__main__":
    print(circle_area(1.0), rectangle_area(2.0, 3.0))
PYTHON

timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" \
    "$build/bin/latent" --database "$scratch/chat.sqlite3" --model "$scratch/model.gguf" \
    --conversation "$conversation" --send "Write a C++ function that reverses a string." \
    --theme "$theme" --language "$language" --screenshot "$scratch/chat.png" \
    --suggest 16 "$scratch/project/shapes.py"

# A PNG of a window with text in it is tens of kilobytes; a blank or failed grab is much smaller.
if [[ "$(head -c 8 "$scratch/chat.png" | od -An -tx1 | tr -d ' ')" != "89504e470d0a1a0a" ]]; then
    echo "screenshot.sh: $scratch/chat.png is not a PNG" >&2
    exit 1
fi
size=$(stat -c %s "$scratch/chat.png")
if (( size < 20000 )); then
    echo "screenshot.sh: the screenshot is only $size bytes: the window was probably blank" >&2
    exit 1
fi
mkdir -p "$(dirname "$output")"
cp "$scratch/chat.png" "$output"
echo "wrote $output ($size bytes)"
