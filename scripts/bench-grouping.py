#!/usr/bin/env python3
"""Grouping throughput: events per second per core through normalization, rules and hashing.

Runs `faultline events --count --jobs 1` with and without `--group` on the synthetic log (generated with
../shared/tools/gen-synthetic-logs.py into bench-data/, as scripts/bench-reader.py does), interleaved, and
counts the difference as grouping time: both runs read, frame, build and scrub the same events on one
build thread, so the difference is what grouping adds. `faultline scan` is measured in the same run as the
machine's baseline. Machines here are shared and noisy: read the ratios, not the seconds.

Goal (issue 5): >= 50,000 events per second per core.

usage: scripts/bench-grouping.py [--mb 100] [--runs 7] [--binary PATH]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
bench_reader = __import__("bench-reader")


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=100, help="input size in MB (default 100)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--binary", help="faultline binary to measure (default: build one)")
    args = parser.parse_args()

    plain = bench_reader.plain_log(args.mb)
    binary = args.binary or bench_reader.build()
    commands = {
        "scan": [binary, "scan", plain],
        "events": [binary, "events", "--count", "--jobs", "1", plain],
        "events --group": [binary, "events", "--count", "--jobs", "1", "--group", plain],
    }
    for command in commands.values():
        timed(command)  # warm the page cache and the binary
    samples = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            samples[name].append(timed(command))
    medians = {name: statistics.median(values) for name, values in samples.items()}

    output = subprocess.run(commands["events --group"], capture_output=True, text=True, check=True).stdout
    events = int(re.search(r"(\d+) events?", output).group(1))
    issues = re.search(r"(\d+) issues?", output)
    size = os.path.getsize(plain)
    print(f"input: {size / 1e6:.0f} MB, {events} events, {issues.group(1) if issues else '?'} issues; "
          f"median of {args.runs} runs; one build thread")
    for name, seconds in medians.items():
        print(f"  {name:16s} {seconds * 1000:8.1f} ms  {size / seconds / 1e6:8.0f} MB/s")
    grouping = medians["events --group"] - medians["events"]
    rate = events / grouping if grouping > 0 else float("inf")
    print(f"grouping adds {grouping * 1000:.1f} ms for {events} events: {rate:,.0f} events/s per core")
    print(f"goal >= 50,000 events/s per core: {'met' if rate >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
