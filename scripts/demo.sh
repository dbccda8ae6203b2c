#!/usr/bin/env bash
# Set up (scripts/setup.sh), build a fresh demo database and start the three programs
# on it: the kiosk, one counter console and the waiting-room display, each in a window.
# Close the windows (or press Ctrl+C here) to stop.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

DB=${PST_DEMO_DB:-$PWD/demo-data/antrian-demo.db}
mkdir -p "$(dirname "$DB")"
.venv/bin/pst-admin --db "$DB" demo --reset

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat <<MSG

demo: the demo database is ready, but this machine has no display (DISPLAY is not set),
so the windows cannot open here. On a desktop, run this command again; or use the
database from the command line, for example:
  .venv/bin/pst-admin --db "$DB" ticket list
  .venv/bin/pst-admin --db "$DB" ticket issue --service KS
MSG
  exit 0
fi

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
for program in pst-display pst-counter pst-kiosk; do
  .venv/bin/$program --db "$DB" --windowed &
  pids+=($!)
done
echo "demo: running kiosk, counter and display on $DB"
echo "demo: officers budi/1234 (officer), sari/5678 (supervisor), admin/0000 (admin)"
wait -n "${pids[@]}" || true
