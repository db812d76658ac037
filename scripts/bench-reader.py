#!/usr/bin/env python3
"""Line-reading throughput of `faultline scan` next to bsdcat, zcat and wc measured in the same run.

The input is generated with ../shared/tools/gen-synthetic-logs.py (cached in bench-data/), repeated to
--mb megabytes, and compressed with gzip -6 and zstd -3. Each command runs --runs times, interleaved,
and the median wall time counts. Machines here are shared and noisy: read the ratios, not the seconds.

Goals: .gz read line by line at >= 90% of bsdcat's throughput on one core; plain text >= 2 GB/s (issue 2);
extraction (`faultline events`) at most 25% more time than `faultline scan` on plain text (issue 3).

usage: scripts/bench-reader.py [--mb 400] [--runs 7] [--binary PATH]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(ROOT, "..", "shared", "tools", "gen-synthetic-logs.py")
DATA = os.path.join(ROOT, "bench-data")


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def plain_log(mb):
    """The synthetic log of `mb` megabytes (generated once, then cached in bench-data/)."""
    os.makedirs(DATA, exist_ok=True)
    seed_log = os.path.join(DATA, "seed-100mb.log")
    if not os.path.exists(seed_log):
        print(f"generating {seed_log} with the synthetic log generator ...", flush=True)
        run([sys.executable, GENERATOR, "--mb", "100", "--seed", "7", seed_log], stdout=subprocess.DEVNULL)
    plain = os.path.join(DATA, f"app-{mb}mb.log")
    if not os.path.exists(plain):
        seed = open(seed_log, "rb").read()
        with open(plain + ".tmp", "wb") as out:
            written = 0
            while written < mb * 1_000_000:
                out.write(seed)
                written += len(seed)
        os.replace(plain + ".tmp", plain)
    return plain


def prepare(mb):
    """The plain log and its gzip and zstd copies."""
    plain = plain_log(mb)
    gz, zst = plain + ".gz", plain + ".zst"
    if not os.path.exists(gz):
        print("compressing with gzip -6 ...", flush=True)
        with open(gz + ".tmp", "wb") as out:
            run(["gzip", "-6", "-c", plain], stdout=out)
        os.replace(gz + ".tmp", gz)
    if not os.path.exists(zst) and shutil.which("zstd"):
        run(["zstd", "-q", "-3", "-f", plain, "-o", zst])
    return plain, gz, zst


def build(scratch=".build-bench"):
    print(f"building faultline (release, static Swift runtime, --scratch-path {scratch}) ...", flush=True)
    run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", scratch,
         "--product", "faultline"], cwd=ROOT, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, scratch, "release", "faultline")


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def measure(groups, runs):
    """groups: {name: [cmd]} measured interleaved; returns {name: median seconds}."""
    samples = {name: [] for name in groups}
    for name, cmd in groups.items():  # warm the page cache and the binaries
        timed(cmd)
    for _ in range(runs):
        for name, cmd in groups.items():
            samples[name].append(timed(cmd))
    return {name: statistics.median(values) for name, values in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=400, help="uncompressed input size in MB (default 400)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--binary", help="faultline binary to measure (default: build one)")
    args = parser.parse_args()

    for tool in ["bsdcat", "zcat", "wc", "gzip"]:
        if not shutil.which(tool):
            sys.exit(f"bench-reader: {tool} is missing (apt-get install libarchive-tools gzip coreutils)")
    plain, gz, zst = prepare(args.mb)
    binary = args.binary or build()
    size = os.path.getsize(plain)
    print(f"\ninput: {size / 1e6:.0f} MB uncompressed, {os.path.getsize(gz) / 1e6:.0f} MB gzip -6; "
          f"median of {args.runs} runs; one core per command\n")

    cases = [
        ("plain", {"faultline scan": [binary, "scan", plain], "bsdcat": ["bsdcat", plain],
                   "wc -l": ["wc", "-l", plain]}, "wc -l"),
        ("gzip", {"faultline scan": [binary, "scan", gz], "bsdcat": ["bsdcat", gz], "zcat": ["zcat", gz]},
         "bsdcat"),
    ]
    if os.path.exists(zst):
        cases.append(("zstd", {"faultline scan": [binary, "scan", zst], "bsdcat": ["bsdcat", zst],
                               "zstd -dc": ["zstd", "-dc", zst]}, "bsdcat"))

    cases.append(("extraction (plain text)", {"faultline events --count": [binary, "events", "--count", plain],
                                              "events --jobs 1": [binary, "events", "--count", "--jobs", "1", plain],
                                              "faultline scan": [binary, "scan", plain]}, "faultline scan"))

    results = {}
    for label, groups, baseline in cases:
        medians = measure(groups, args.runs)
        print(f"{label}:")
        for name, seconds in medians.items():
            ratio = medians[baseline] / seconds
            print(f"  {name:16s} {seconds * 1000:8.1f} ms  {size / seconds / 1e6:8.0f} MB/s  "
                  f"{ratio * 100:6.1f}% of {baseline}")
        results[label] = medians
        print()

    plain_rate = size / results["plain"]["faultline scan"] / 1e9
    gz_ratio = results["gzip"]["bsdcat"] / results["gzip"]["faultline scan"]
    print(f"goal plain >= 2 GB/s:            {plain_rate:.2f} GB/s  {'met' if plain_rate >= 2 else 'NOT met'}")
    print(f"goal gzip >= 90% of bsdcat:      {gz_ratio * 100:.1f}%   {'met' if gz_ratio >= 0.9 else 'NOT met'}")
    extraction = results["extraction (plain text)"]
    overhead = extraction["faultline events --count"] / extraction["faultline scan"] - 1
    print(f"goal extraction <= +25% of scan: {overhead * 100:+.1f}%  {'met' if overhead <= 0.25 else 'NOT met'}")
    counts = subprocess.run([binary, "events", "--count", plain], capture_output=True, text=True).stdout.strip()
    print("extraction counts: " + counts.replace("\n", "; "))


if __name__ == "__main__":
    main()
