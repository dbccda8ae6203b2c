#!/usr/bin/env bash
# Set up with the test tools (scripts/setup.sh --test) and run the whole test suite.
# Extra arguments go to pytest. Tests run on two worker processes, one test file each
# (PST_TEST_WORKERS=0 runs them in this process, e.g. to use a debugger).
# Exits non-zero when a test fails or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
export PST_ARTIFACTS=${PST_ARTIFACTS:-$PWD/artifacts}
workers=${PST_TEST_WORKERS:-2}
parallel=()
if [ "$workers" != 0 ]; then
  parallel=(-n "$workers" --dist loadfile)
fi
set +e
.venv/bin/python -m pytest -ra "${parallel[@]}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test: no tests were collected — treating that as a failure" >&2
  exit 1
fi
exit "$status"
