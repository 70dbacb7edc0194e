#!/usr/bin/env bash
# Renders the hicolor PNGs from the SVG (committed, so building needs no SVG renderer):
#   packaging/icons/render.sh      (needs rsvg-convert from librsvg2-bin)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
svg=io.github.retain.Retain.svg
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "${size}x${size}"
  rsvg-convert --width "$size" --height "$size" --format png "$svg" -o "${size}x${size}/io.github.retain.Retain.png"
done
