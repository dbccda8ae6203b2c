#!/usr/bin/env bash
# Set up what Antrian PST needs on a Debian/Ubuntu machine: the Debian packages, then a
# virtual environment in .venv with the project installed. Safe to run again; it only
# installs what is missing.
#
#   scripts/setup.sh          what the programs need to run (scripts/demo.sh uses this)
#   scripts/setup.sh --test   that plus the test tools (scripts/test.sh uses this)
#   PST_SETUP_QUIET=1 ...     less output
set -euo pipefail

cd "$(dirname "$0")/.."

WITH_TESTS=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TESTS=1 ;;
    *) echo "setup: unknown option $arg (use --test for the test tools)" >&2; exit 2 ;;
  esac
done

# To run: Qt offscreen and on a desktop (xcb), fonts, speech for the display, USB printers.
RUNTIME_PACKAGES=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0
  libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
  libusb-1.0-0
)
# To test: a virtual X server with the openbox window manager, a sound server with a null
# sink and a recorder, libfaketime, Samba and FUSE for the network-share lab, binutils for
# PyInstaller's bundle test, poppler-utils to render report PDFs to pictures, Chromium
# and its WebDriver to open the status page as a visitor's phone does, PostgreSQL for the
# central database of the province (the tests start their own server).
TEST_PACKAGES=(
  xvfb xauth openbox pulseaudio pulseaudio-utils sox faketime
  samba fuse3 libfuse2
  binutils poppler-utils
  chromium chromium-driver
  postgresql
)
DEBIAN_PACKAGES=("${RUNTIME_PACKAGES[@]}")
PYTHON_EXTRAS=""
STAMP=.venv/.antrian-pst-installed
if [ "$WITH_TESTS" = 1 ]; then
  DEBIAN_PACKAGES+=("${TEST_PACKAGES[@]}")
  PYTHON_EXTRAS="[test,share,bundle]"
  STAMP=.venv/.antrian-pst-installed-test
fi

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
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${PYTHON_EXTRAS}"
  touch "$STAMP"
fi
echo "setup: ready (.venv)"
