#!/usr/bin/env python3
"""Throughput of `faultline scrub` next to sed, grep, wc and cat measured in the same run.

The input is the synthetic log of ../shared/tools/gen-synthetic-logs.py (cached in bench-data/, the same seed
as scripts/bench-reader.py), repeated to --mb megabytes. Each command runs --runs times, interleaved, and the
median wall time counts. Machines here are shared and noisy: read the ratios, not the seconds.

Baselines: `cat` and `wc -l` (reading), `grep -c @` (one memchr-able byte), `sed -E` with an IPv4 and an
e-mail regex (a two-rule scrubber without validators), and `grep -cE` with the e-mail regex.

Goal (issue 4): `faultline scrub` >= 150 MB/s on one core (it scrubs every line).

usage: scripts/bench-scrub.py [--mb 100] [--runs 5] [--binary PATH] [--scratch-path .build-bench]
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

IPV4 = r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"


sys.path.insert(0, os.path.join(ROOT, "scripts"))
bench_reader = __import__("bench-reader")
prepare = bench_reader.plain_log
build = bench_reader.build
run = bench_reader.run


def timed(cmd, output):
    """Wall time and CPU time (user + system) of one run. Output goes to a file, not /dev/null: GNU grep stops at
    the first match when it sees /dev/null. CPU time is what one core spent, whatever else the machine did."""
    with open(output, "wb") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(groups, runs, output):
    """groups: {name: [cmd]} measured interleaved; returns {name: (median wall seconds, median CPU seconds)}."""
    samples = {name: [] for name in groups}
    for name, cmd in groups.items():  # warm the page cache and the binaries
        timed(cmd, output)
    for _ in range(runs):
        for name, cmd in groups.items():
            samples[name].append(timed(cmd, output))
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=100, help="input size in MB (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--binary", help="faultline binary to measure (default: build one)")
    parser.add_argument("--scratch-path", default=".build-bench", help="SwiftPM scratch path for the build")
    args = parser.parse_args()

    for tool in ["sed", "grep", "wc", "cat"]:
        if not shutil.which(tool):
            sys.exit(f"bench-scrub: {tool} is missing")
    plain = prepare(args.mb)
    binary = args.binary or build(args.scratch_path)
    size = os.path.getsize(plain)

    with tempfile.TemporaryDirectory() as scratch:
        key = os.path.join(scratch, "key")
        with open(key, "wb") as out:
            out.write(os.urandom(32))
        # Correctness first: the same number of lines out as in.
        scrubbed = os.path.join(scratch, "scrubbed.log")
        with open(scrubbed, "wb") as out:
            run([binary, "scrub", "--summary", plain], stdout=out)
        lines_in = int(subprocess.run(["wc", "-l", plain], capture_output=True, text=True).stdout.split()[0])
        lines_out = int(subprocess.run(["wc", "-l", scrubbed], capture_output=True, text=True).stdout.split()[0])
        if lines_in != lines_out:
            sys.exit(f"bench-scrub: {lines_in} lines in, {lines_out} out")
        os.remove(scrubbed)

        print(f"\ninput: {size / 1e6:.0f} MB, {lines_in} lines of the synthetic log; median of {args.runs} runs; "
              "one core per command\n")
        groups = {
            "faultline scrub": [binary, "scrub", plain],
            "  --pseudonymize": [binary, "scrub", "--pseudonymize", "--pseudonym-key-file", key, plain],
            "sed -E (ip, email)": ["sed", "-E", f"s/{IPV4}/[ip]/g; s/{EMAIL}/[email]/g", plain],
            "grep -cE (email)": ["grep", "-cE", EMAIL, plain],
            "grep -c @": ["grep", "-c", "@", plain],
            "wc -l": ["wc", "-l", plain],
            "cat": ["cat", plain],
        }
        medians = measure(groups, args.runs, os.path.join(scratch, "out"))

    baseline = medians["sed -E (ip, email)"][0]
    print(f"{'command':22s} {'wall':>10s} {'MB/s':>7s} {'CPU':>10s} {'MB/s':>7s} {'vs sed':>8s} {'vs cat':>8s}")
    for name, (wall, cpu) in medians.items():
        print(f"{name:22s} {wall * 1000:7.1f} ms {size / wall / 1e6:7.0f} {cpu * 1000:7.1f} ms "
              f"{size / max(cpu, 1e-6) / 1e6:7.0f} {baseline / wall:7.2f}x {medians['cat'][0] / wall * 100:7.1f}%")
    wall, cpu = medians["faultline scrub"]
    rate, cpu_rate = size / wall / 1e6, size / cpu / 1e6
    print(f"\ngoal faultline scrub >= 150 MB/s on one core: {rate:.0f} MB/s wall, {cpu_rate:.0f} MB/s of CPU time  "
          f"{'met' if rate >= 150 else 'NOT met'}")
    summary = subprocess.run([binary, "scrub", "--summary", plain], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True).stderr.strip()
    print("replacements: " + summary)


if __name__ == "__main__":
    main()
