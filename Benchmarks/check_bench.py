#!/usr/bin/env python3
"""Benchmark of `kms-drift check` (issue: the foundation).

1. a 13-party node config against its drifted twin: median wall time over many runs, beside
   the seed's textual check (`diff` of sorted non-comment lines) and a Python tomllib compare;
   target ≤ 10 ms and faster than both.
2. a 20 MB TOML against its drifted twin: wall time and peak memory, beside tomllib and the
   textual check; targets ≤ 0.5 s and peak RSS ≤ 6 × the two inputs' size.

Usage: python3 Benchmarks/check_bench.py [--runs 50] [--skip-build] [--skip-python-big]
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import BINARY, build_release, gen, median_wall, row, run_measured  # noqa: E402

TEXTUAL = "diff <(grep -v '^#' {a} | sort) <(grep -v '^#' {b} | sort) >/dev/null"
TOMLLIB = ("import sys, tomllib\n"
           "a = tomllib.load(open(sys.argv[1], 'rb'))\n"
           "b = tomllib.load(open(sys.argv[2], 'rb'))\n"
           "sys.exit(0 if a == b else 1)\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-python-big", action="store_true", help="tomllib on 20 MB takes ~11 s")
    args = parser.parse_args()
    if not args.skip_build:
        build_release()
    work = tempfile.mkdtemp(prefix="kms-drift-bench-")
    party, drifted = os.path.join(work, "party.toml"), os.path.join(work, "party-drift.toml")
    with open(party, "w") as out:
        gen("party", "--style", "server", stdout=out)
    with open(drifted, "w") as out, open(os.devnull, "w") as err:
        gen("drift", party, "--changes", "3", stdout=out, stderr=err)
    script = os.path.join(work, "compare.py")
    with open(script, "w") as f:
        f.write(TOMLLIB)

    print(f"1. check: 13-party node config vs drifted twin (median of {args.runs} runs)")
    ours = median_wall([BINARY, "check", party, drifted], args.runs)
    textual = median_wall(TEXTUAL.format(a=party, b=drifted), args.runs, shell=True)
    python = median_wall([sys.executable, script, party, drifted], max(5, args.runs // 5))
    row("kms-drift check", ours, "textual sort|diff", textual)
    row("kms-drift check", ours, "python tomllib compare", python)
    print(f"  target ≤ 10 ms and faster than both: {'met' if ours <= 0.010 and ours < textual and ours < python else 'NOT met'}")

    big, big_drift = os.path.join(work, "big.toml"), os.path.join(work, "big-drift.toml")
    gen("big", big, "--mb", "20")
    with open(big_drift, "w") as out, open(os.devnull, "w") as err:
        gen("drift", big, "--changes", "3", stdout=out, stderr=err)
    inputs = os.path.getsize(big) + os.path.getsize(big_drift)
    print(f"2. check: 20 MB TOML vs drifted twin (inputs {inputs / 2**20:.1f} MiB together; best of 3)")
    runs = [run_measured([BINARY, "check", big, big_drift]) for _ in range(3)]
    wall = min(r[0] for r in runs)
    rss = max(r[1] for r in runs) * 1024
    status = runs[0][2]
    textual_wall = run_measured(TEXTUAL.format(a=big, b=big_drift), shell=True)[0]
    row("kms-drift check", wall, "textual sort|diff", textual_wall, unit="s", scale=1.0)
    if not args.skip_python_big:
        python_wall = run_measured([sys.executable, script, big, big_drift])[0]
        row("kms-drift check", wall, "python tomllib compare", python_wall, unit="s", scale=1.0)
    print(f"  peak RSS {rss / 2**20:.1f} MiB = {rss / inputs:.2f} × inputs (target ≤ 6 ×); exit status {status}")
    print(f"  target ≤ 0.5 s: {'met' if wall <= 0.5 else 'NOT met'}; memory target: {'met' if rss <= 6 * inputs else 'NOT met'}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
