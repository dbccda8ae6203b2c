#!/usr/bin/env bash
# Set up with the test tools (scripts/setup.sh --test) and run the whole test suite.
# Extra arguments go to pytest.
# Exits non-zero when a test fails or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
export PST_ARTIFACTS=${PST_ARTIFACTS:-$PWD/artifacts}
set +e
.venv/bin/python -m pytest -ra "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test: no tests were collected — treating that as a failure" >&2
  exit 1
fi
exit "$status"
