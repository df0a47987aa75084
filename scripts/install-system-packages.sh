#!/bin/sh
# Debian/Ubuntu packages that Qt's xcb platform, OpenGL (Mesa), Xvfb and a Python
# virtual environment need; a fresh machine lacks several. It installs only what
# is missing (so it is quick, and needs no root, when nothing is) and says what it
# does. Skips itself where apt-get is missing.
set -eu
say() { echo "install-system-packages: $*"; }
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    say "no apt-get here: install Qt's xcb libraries and Xvfb by your system's means"
    exit 0
fi
PACKAGES="xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0 libxcb-cursor0
    libxkbcommon-x11-0 libgl1 libegl1 libgl1-mesa-dri libdbus-1-3 libfontconfig1
    fonts-dejavu-core"
missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f '${Status}\n' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $package"
    fi
done
# Debian's own python3 makes virtual environments only with python3-venv (for ensurepip).
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    missing="$missing python3-venv"
fi
if [ -z "$missing" ]; then
    say "every package Qt and the tests need is installed; nothing to do"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        say "missing:$missing; run this as root (there is no sudo here)" >&2
        exit 1
    fi
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
say "installing:$missing"
say "apt-get update"
$SUDO apt-get update -qq
say "apt-get install"
# shellcheck disable=SC2086  # one word per package
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
say "done"
