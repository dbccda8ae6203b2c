#!/usr/bin/env bash
# Set up everything Antrian PST needs on a Debian/Ubuntu machine: the Debian packages Qt,
# speech, printing and the tests use, then a virtual environment in .venv with the
# project installed. Safe to run again; it only installs what is missing.
#
#   scripts/setup.sh          runtime + test packages
#   PST_SETUP_QUIET=1 ...     less output
set -euo pipefail

cd "$(dirname "$0")/.."

# Qt offscreen and on a desktop (xcb), fonts, speech, sound, USB printers, and the
# tools the tests use (Xvfb, PulseAudio null sink, Samba + FUSE for the share tests,
# libfaketime for the suite on other dates).
DEBIAN_PACKAGES=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0
  libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
  libusb-1.0-0
  xvfb xauth pulseaudio pulseaudio-utils sox
  samba fuse3 libfuse2
  faketime
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "setup: this is not a Debian-like system; install the equivalents of: ${missing[*]}" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed ($("$PYTHON" --version))" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the project's dependencies changed.
stamp=.venv/.antrian-pst-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test,share]"
  touch "$stamp"
fi
echo "setup: ready (.venv)"
