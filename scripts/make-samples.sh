#!/usr/bin/env bash
# Regenerates samples/ deterministically from ../shared/tools/gen-synthetic-logs.py:
#   samples/api/      one service's log, rotated by logrotate: app.log (live), app.log.1, app.log.2.gz, app.log.3.gz
#   samples/worker-logs.tar.gz   another service's rotated logs, archived: worker/worker.log, worker/worker.log.1.gz
set -euo pipefail
cd "$(dirname "$0")/.."
generator=../shared/tools/gen-synthetic-logs.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$generator" --mb 2 --seed 11 "$work/api.log" >/dev/null
python3 "$generator" --mb 1 --seed 23 --releases 1.8.0,1.9.0 "$work/worker.log" >/dev/null

# Split a log into N parts at line boundaries, oldest first.
split_log() { # file parts prefix
  local lines; lines=$(wc -l < "$1")
  split -d -a 1 -l $(( (lines + $2 - 1) / $2 )) "$1" "$3"
}

rm -rf samples/api samples/worker-logs.tar.gz
mkdir -p samples/api "$work/worker"
split_log "$work/api.log" 4 "$work/api-part-"
gzip -9 -n -c "$work/api-part-0" > samples/api/app.log.3.gz
gzip -9 -n -c "$work/api-part-1" > samples/api/app.log.2.gz
cp "$work/api-part-2" samples/api/app.log.1
cp "$work/api-part-3" samples/api/app.log

split_log "$work/worker.log" 2 "$work/worker-part-"
gzip -9 -n -c "$work/worker-part-0" > "$work/worker/worker.log.1.gz"
cp "$work/worker-part-1" "$work/worker/worker.log"
# Members in name order (live file first), as `tar` usually writes them: faultline still reads oldest first.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-11-24 00:00Z' \
    -C "$work" -czf samples/worker-logs.tar.gz worker/worker.log worker/worker.log.1.gz
ls -l samples/api samples/worker-logs.tar.gz
