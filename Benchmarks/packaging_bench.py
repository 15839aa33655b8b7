#!/usr/bin/env python3
"""Benchmark of the packaged binary (issue: installed the way operators install software).

1. size: the binary the README's build makes (`swift build -c release --static-swift-stdlib`),
   unstripped (what scripts/install used to copy to a node) and stripped, beside the one
   packaging/build-dist puts in the package (linked without -export-dynamic, stripped); target:
   at most half the README's build as it was installed (unstripped), and the figure beside the
   stripped build too.
2. start-up: `kms-drift check` on a 13-party node config against its drifted twin, median wall
   time over many runs, each binary in turn; target: the packaged one is not slower.

Usage: python3 Benchmarks/packaging_bench.py [--runs 200] [--skip-build]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import BINARY, ROOT, build_release, gen, run_measured  # noqa: E402

DIST_BINARY = os.path.join(ROOT, ".build", "dist", "bin", "kms-drift")


def interleaved_medians(commands, runs):
    """Median wall time of each command, runs interleaved so both see the same machine load."""
    walls = [[] for _ in commands]
    for _ in range(runs):
        for index, argv in enumerate(commands):
            walls[index].append(run_measured(argv)[0])
    return [statistics.median(w) for w in walls]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--skip-build", action="store_true",
                        help="use .build/release/kms-drift as the README's build and .build/dist as it is")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kms-drift-packaging-bench-")
    current = os.path.join(work, "kms-drift-readme-build")
    if not args.skip_build:
        build_release()
    shutil.copy2(BINARY, current)
    if not args.skip_build:
        print("running packaging/build-dist…", flush=True)
        subprocess.run([os.path.join(ROOT, "packaging", "build-dist")], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    current_stripped = current + "-stripped"
    subprocess.run(["strip", "--strip-all", "-o", current_stripped, current], check=True)

    unstripped = os.path.getsize(current)
    stripped = os.path.getsize(current_stripped)
    packaged = os.path.getsize(DIST_BINARY)
    print("1. size of kms-drift")
    print(f"  README's build, unstripped        {unstripped / 2**20:8.2f} MiB")
    print(f"  README's build, stripped          {stripped / 2**20:8.2f} MiB")
    print(f"  packaged (build-dist, stripped)   {packaged / 2**20:8.2f} MiB   "
          f"= {packaged / stripped:.2f} × the stripped README build, {packaged / unstripped:.2f} × unstripped")
    print(f"  target ≤ 0.5 × the README build as installed (unstripped): {'met' if packaged <= unstripped / 2 else 'NOT met'}")
    print(f"  ≤ 0.5 × the stripped README build: {'met' if packaged <= stripped / 2 else 'NOT met'}")

    party, drifted = os.path.join(work, "party.toml"), os.path.join(work, "party-drift.toml")
    with open(party, "w") as out:
        gen("party", "--style", "server", stdout=out)
    with open(drifted, "w") as out, open(os.devnull, "w") as err:
        gen("drift", party, "--changes", "3", stdout=out, stderr=err)
    status = run_measured([DIST_BINARY, "check", party, drifted])[2]
    ours, anchor = interleaved_medians(
        [[DIST_BINARY, "check", party, drifted], [current_stripped, "check", party, drifted]], args.runs)
    print(f"2. start-up: check on a 13-party config vs its drifted twin (median of {args.runs} interleaved runs;"
          f" exit {status})")
    ratio = anchor / ours if ours > 0 else float("inf")
    print(f"  packaged binary                   {ours * 1000:8.2f} ms   vs README's build {anchor * 1000:8.2f} ms"
          f"   ratio {ratio:.2f}x")
    print(f"  target not slower (within 5 %): {'met' if ours <= anchor * 1.05 else 'NOT met'}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
