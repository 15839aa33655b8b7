#!/usr/bin/env python3
"""Benchmark of the packaged binary (issue 19: installed the way operators install software).

The anchor is the binary from before issue 19: commit 9f273c9 (where the issue's branch started),
built as the README said then (`swift build -c release --static-swift-stdlib`), in a fresh clone
kept under .build/ so a second run reuses it. Its stripped size is the issue's 21,393,576 B.

1. size: the packaged binary (packaging/build-dist, stripped, with its size flags: -Osize, LTO, lld)
   beside the anchor, unstripped (what scripts/install copied then) and stripped; and beside
   today's source built the README's way. Target: at most half the anchor, stripped.
2. start-up: `kms-drift check` on a 13-party node config against its drifted twin, median wall
   time of many runs, the binaries interleaved so that each sees the same machine load.
   Target: the packaged binary is not slower than the anchor (within 5 %).

Usage: python3 Benchmarks/packaging_bench.py [--runs 200] [--before REV] [--skip-build]
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
BEFORE_ISSUE_19 = "9f273c9"
README_BUILD = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "kms-drift"]


def before_binary(revision):
    """The anchor: `revision` built the README's way in a clone of its own under .build/."""
    directory = os.path.join(ROOT, ".build", f"bench-before-{revision}")
    binary = os.path.join(directory, ".build", "release", "kms-drift")
    if not os.path.exists(binary):
        if not os.path.isdir(directory):
            subprocess.run(["git", "clone", "-q", "--no-checkout", ROOT, directory], check=True)
            subprocess.run(["git", "-C", directory, "checkout", "-q", revision], check=True)
        print(f"building the anchor ({revision}) the README's way…", flush=True)
        subprocess.run(README_BUILD, cwd=directory, check=True, stdout=subprocess.DEVNULL)
    return binary


def interleaved_medians(commands, runs):
    """Median wall time of each command, runs interleaved so all see the same machine load."""
    walls = [[] for _ in commands]
    for _ in range(runs):
        for index, argv in enumerate(commands):
            walls[index].append(run_measured(argv)[0])
    return [statistics.median(w) for w in walls]


def stripped_copy(binary, path):
    subprocess.run(["strip", "--strip-all", "-o", path, binary], check=True)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--before", default=BEFORE_ISSUE_19, help="the anchor's commit (default: before issue 19)")
    parser.add_argument("--skip-build", action="store_true",
                        help="use .build/release/kms-drift and .build/dist as they are (the anchor is built if missing)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kms-drift-packaging-bench-")
    if not args.skip_build:
        build_release()
    current = shutil.copy2(BINARY, os.path.join(work, "kms-drift-readme-build"))
    if not args.skip_build:
        print("running packaging/build-dist…", flush=True)
        subprocess.run([os.path.join(ROOT, "packaging", "build-dist")], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    before = before_binary(args.before)
    before_stripped = stripped_copy(before, os.path.join(work, "kms-drift-before-stripped"))
    current_stripped = stripped_copy(current, os.path.join(work, "kms-drift-readme-build-stripped"))

    anchor = os.path.getsize(before_stripped)
    packaged = os.path.getsize(DIST_BINARY)
    print("1. size of kms-drift (bytes)")
    for label, path in [
        (f"before issue 19 ({args.before}), unstripped", before),
        (f"before issue 19 ({args.before}), stripped", before_stripped),
        ("today's source, README build, unstripped", current),
        ("today's source, README build, stripped", current_stripped),
        ("packaged (build-dist)", DIST_BINARY),
    ]:
        size = os.path.getsize(path)
        print(f"  {label:<46} {size:>12,}   {size / anchor:5.2f} × the anchor (stripped)")
    print(f"  target ≤ 0.5 × the anchor, stripped ({anchor // 2:,} B): {'met' if packaged <= anchor / 2 else 'NOT met'}")

    party, drifted = os.path.join(work, "party.toml"), os.path.join(work, "party-drift.toml")
    with open(party, "w") as out:
        gen("party", "--style", "server", stdout=out)
    with open(drifted, "w") as out, open(os.devnull, "w") as err:
        gen("drift", party, "--changes", "3", stdout=out, stderr=err)
    statuses = {run_measured([b, "check", party, drifted])[2] for b in (DIST_BINARY, before_stripped)}
    ours, readme_build, anchor_wall = interleaved_medians(
        [[DIST_BINARY, "check", party, drifted], [current_stripped, "check", party, drifted],
         [before_stripped, "check", party, drifted]], args.runs)
    print(f"2. start-up: check on a 13-party config vs its drifted twin (median of {args.runs} interleaved runs;"
          f" exit {sorted(statuses)})")
    print(f"  packaged binary                     {ours * 1000:8.2f} ms")
    print(f"  today's source, README build        {readme_build * 1000:8.2f} ms   packaged/this {ours / readme_build:.3f}")
    print(f"  before issue 19, {args.before} (anchor)   {anchor_wall * 1000:8.2f} ms   packaged/anchor {ours / anchor_wall:.3f}")
    print(f"  target not slower than the anchor (within 5 %): {'met' if ours <= anchor_wall * 1.05 else 'NOT met'}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
