#!/usr/bin/env python3
"""Cost of a snapshot and of `list` as the number of changed files grows (issue 11, part 1).

For each size N (1k, 5k, 20k, 50k by default), in the same run:
1. an empty directory, `snapshot` (it becomes the baseline), then N small TOML files in 256
   subdirectories and `snapshot` again: the *changed-files snapshot*, which compares N added
   files with the baseline;
2. anchor: the *first snapshot* of the same N-file tree into a new, empty store (it reads and
   stores the same N files but compares nothing: it becomes its own baseline).
The ratio changed / first is printed beside each; target: at most 2x at every size, which is
what "linear in the changed files" means here (the issue measured 19.8 s vs 1.8 s at 20k).

Then, at the largest size, 9 more snapshots with 10 files touched each (11 snapshots in all,
10 of them differing from the baseline in N files) and `list` on that store, beside the time of
one unchanged-tree snapshot of the same store (the cost of reading the tree once); target:
`list` < 0.2 s. A `baseline set` makes every stored comparison stale: the first `list` after it
recomputes them all (printed too), the next one reads them again.

Usage: python3 Benchmarks/growth_bench.py [--sizes 1000,5000,20000,50000] [--skip-build]
Run time on the 2-core development machine: about 2 minutes (most of it generating files).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import BINARY, build_release  # noqa: E402

SUBDIRECTORIES = 256


def write_tree(root, count, start=0):
    """`count` small TOML files spread over 256 subdirectories (numbered from `start`)."""
    for index in range(start, start + count):
        directory = os.path.join(root, f"d{index % SUBDIRECTORIES:03d}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"f{index:06d}.toml"), "w") as out:
            out.write(f'[service]\nname = "file {index}"\nport = {50000 + index % 1000}\n')


def touch(root, count, seed):
    """Rewrites `count` of the files with a new port (a real change of meaning)."""
    for step in range(count):
        index = (seed * 7919 + step * 104729) % count_files(root)
        path = os.path.join(root, f"d{index % SUBDIRECTORIES:03d}", f"f{index:06d}.toml")
        with open(path, "a") as out:
            out.write(f"# touched {seed}\nextra_{seed} = {step}\n")


def count_files(root):
    return sum(len(files) for _, _, files in os.walk(root))


def timed(argv, expect=(0, 1)):
    """Wall time of one run of the binary; fails loudly on an unexpected exit status."""
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if proc.returncode not in expect:
        sys.exit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return wall, proc.stdout.decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,20000,50000")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--binary", default=BINARY)
    args = parser.parse_args()
    if not args.skip_build:
        build_release()
    binary = os.path.abspath(args.binary)
    sizes = [int(size) for size in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="kms-drift-growth-bench-")
    began = time.monotonic()
    try:
        print(f"{'changed files':>14} {'changed-files snapshot':>24} {'first snapshot (anchor)':>25} {'ratio':>7}"
              f"   target <= 2x")
        for size in sizes:
            tree = os.path.join(work, f"tree-{size}")
            os.makedirs(tree)
            changed_db = os.path.join(work, f"changed-{size}.db")
            first_db = os.path.join(work, f"first-{size}.db")
            timed([binary, "snapshot", "--dir", tree, "--db", changed_db])
            write_tree(tree, size)
            subprocess.run(["sync"])
            # The anchor first, so both runs find the files equally warm in the page cache.
            first, _ = timed([binary, "snapshot", "--dir", tree, "--db", first_db], expect=(0,))
            changed, output = timed([binary, "snapshot", "--dir", tree, "--db", changed_db], expect=(1,))
            if f"{size} added" not in output and f"{size} files" not in output:
                print(f"  (unexpected summary: {output.strip().splitlines()[-1] if output.strip() else ''})")
            ratio = changed / first
            print(f"{size:>14,} {changed:>22.3f} s {first:>23.3f} s {ratio:>6.2f}x   "
                  f"{'met' if ratio <= 2 else 'NOT met'}", flush=True)
            last = (size, tree, changed_db)
            if size != sizes[-1]:
                shutil.rmtree(tree)
                for path in (first_db, changed_db):
                    for suffix in ("", "-wal", "-shm"):
                        if os.path.exists(path + suffix):
                            os.remove(path + suffix)

        size, tree, database = last
        for seed in range(1, 10):
            touch(tree, 10, seed)
            timed([binary, "snapshot", "--dir", tree, "--db", database])
        unchanged, _ = timed([binary, "snapshot", "--dir", tree, "--db", database])
        _, listing = timed([binary, "list", "--db", database], expect=(0,))
        rows = [line for line in listing.splitlines()[1:] if line.strip()]
        listed, listing = timed([binary, "list", "--db", database], expect=(0,))
        differing = sum(1 for line in listing.splitlines() if "differs" in line)
        print(f"\nlist on {len(rows)} snapshots of {size:,} files ({differing} differ from the baseline in "
              f"{size:,}+ files)")
        print(f"  list {listed:>10.3f} s   vs one snapshot of the unchanged tree {unchanged:.3f} s"
              f"   ratio {listed / unchanged:.2f}x   target list < 0.2 s: {'met' if listed < 0.2 else 'NOT met'}")
        timed([binary, "baseline", "set", "latest", "--db", database, "--reason", "bench"], expect=(0,))
        recomputed, _ = timed([binary, "list", "--db", database], expect=(0,))
        again, _ = timed([binary, "list", "--db", database], expect=(0,))
        print(f"  after `baseline set`: first list (recomputes every comparison) {recomputed:.3f} s, "
              f"the next {again:.3f} s")
        print(f"\ntotal run time {time.monotonic() - began:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
