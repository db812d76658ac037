#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build faultline, scan the samples and group their
# error events into issues.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product faultline
.build/release/faultline scan samples/ "$@"
echo
.build/release/faultline events --group --count samples/
