#!/bin/sh
# Debian/Ubuntu packages Qt's xcb platform, OpenGL (Mesa) and Xvfb need; a fresh
# machine lacks several. Safe to run again. Skips itself where apt-get is missing.
set -eu
if ! command -v apt-get >/dev/null 2>&1; then
    echo "no apt-get here: install Qt's xcb libraries and Xvfb by your system's means" >&2
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
    libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0 libxcb-cursor0 \
    libxkbcommon-x11-0 libgl1 libegl1 libgl1-mesa-dri libdbus-1-3 libfontconfig1 \
    fonts-dejavu-core >/dev/null
