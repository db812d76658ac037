#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build faultline, scan the samples.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product faultline
.build/release/faultline scan samples/ "$@"
