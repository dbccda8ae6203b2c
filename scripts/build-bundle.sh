#!/usr/bin/env bash
# Build the bundle that needs no Python on the PC: dist/antrian-pst/ with pst-admin,
# pst-kiosk, pst-counter, pst-display, pst-setup and pst-web sharing one runtime (PyInstaller,
# one folder). Copy that folder to a PC (or make an archive of it) and run the programs
# from it; nothing else needs installing there.
#
#   scripts/build-bundle.sh                 build into dist/antrian-pst
#   PST_BUNDLE_DIST=/tmp/out ...            build somewhere else
#   PYTHON=/path/to/python ...              use another environment with PyInstaller
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "build-bundle: PyInstaller is missing; setting up the build tools first"
  scripts/setup.sh --test
  PYTHON=.venv/bin/python
fi
DIST=${PST_BUNDLE_DIST:-$PWD/dist}
WORK=${PST_BUNDLE_WORK:-$PWD/build/pyinstaller}
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/antrian-pst.spec
echo "build-bundle: $DIST/antrian-pst ($(du -sh "$DIST/antrian-pst" | cut -f1)) in $(( $(date +%s) - start )) s"
