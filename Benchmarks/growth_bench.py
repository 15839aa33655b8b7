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
10 of them differing from the baseline in N files or more) and `list` on that store; target
< 0.2 s. Anchor: `list` on a copy of the same store with no comparison stored, which compares
every snapshot again, as every `list` did before comparisons were kept (both listings must be
identical). A `baseline set` makes every stored comparison stale: the first `list` after it
compares again, the next one reads.

Both wall and CPU (user + sys) time are printed: on a machine shared with other work the wall
time of one run swings with the load, the CPU time much less, so the 2x target is judged on CPU.

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


def measured(argv, expect=(0, 1)):
    """(wall seconds, CPU seconds, stdout) of one run, CPU from wait4's rusage."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code not in expect:
            sys.exit(f"{' '.join(argv)} exited {code}:\n{err.read().decode()[-2000:]}")
        return wall, usage.ru_utime + usage.ru_stime, out.read().decode()


def remove_database(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


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
        print("snapshot after N files were added since the baseline, beside the first snapshot of the same tree")
        print(f"{'changed files':>14} | {'changed-files snapshot':>27} | {'first snapshot (anchor)':>27} |"
              f" {'ratio wall':>10} {'ratio CPU':>10} | target <= 2x")
        print(f"{'':>14} | {'wall':>12} {'CPU':>14} | {'wall':>12} {'CPU':>14} |")
        for size in sizes:
            tree = os.path.join(work, f"tree-{size}")
            os.makedirs(tree)
            changed_db = os.path.join(work, f"changed-{size}.db")
            first_db = os.path.join(work, f"first-{size}.db")
            measured([binary, "snapshot", "--dir", tree, "--db", changed_db])
            write_tree(tree, size)
            subprocess.run(["sync"])
            # The anchor first, so both runs find the files equally warm in the page cache.
            first_wall, first_cpu, _ = measured([binary, "snapshot", "--dir", tree, "--db", first_db], expect=(0,))
            wall, cpu, output = measured([binary, "snapshot", "--dir", tree, "--db", changed_db], expect=(1,))
            if f"{size} difference" not in output:
                sys.exit(f"the changed-files snapshot did not report {size} differences:\n{output[:500]}")
            print(f"{size:>14,} | {wall:>10.3f} s {cpu:>12.3f} s | {first_wall:>10.3f} s {first_cpu:>12.3f} s |"
                  f" {wall / first_wall:>9.2f}x {cpu / first_cpu:>9.2f}x |"
                  f" {'met' if cpu / first_cpu <= 2 else 'NOT met'} (CPU)", flush=True)
            last = (size, tree, changed_db)
            remove_database(first_db)
            if size != sizes[-1]:
                shutil.rmtree(tree)
                remove_database(changed_db)

        size, tree, database = last
        for seed in range(1, 10):
            touch(tree, 10, seed)
            measured([binary, "snapshot", "--dir", tree, "--db", database])
        listed_wall, listed_cpu, listing = measured([binary, "list", "--db", database], expect=(0,))
        rows = [line for line in listing.splitlines()[1:] if line.strip()]
        differing = sum(1 for line in rows if "differs" in line)
        # The anchor: the same list when no comparison is stored, which is what every `list` cost
        # before comparisons were kept (a copy of the store with the rows deleted).
        anchor = os.path.join(work, "anchor.db")
        subprocess.run(["sqlite3", database, f".backup {anchor}"], check=True)
        subprocess.run(["sqlite3", anchor, "DELETE FROM comparisons"], check=True)
        anchor_wall, anchor_cpu, anchor_listing = measured([binary, "list", "--db", anchor], expect=(0,))
        if anchor_listing != listing:
            sys.exit("list from stored comparisons and list comparing again disagree:\n" + listing + anchor_listing)
        print(f"\nlist on {len(rows)} snapshots of {size:,} files ({differing} differ from the baseline in "
              f"{size:,} files or more)")
        print(f"  list (stored comparisons)      {listed_wall:8.3f} s wall {listed_cpu:8.3f} s CPU"
              f"   target < 0.2 s: {'met' if listed_wall < 0.2 else 'NOT met'}")
        print(f"  anchor: list comparing all     {anchor_wall:8.3f} s wall {anchor_cpu:8.3f} s CPU"
              f"   ratio {anchor_wall / listed_wall:.1f}x")
        measured([binary, "baseline", "set", "latest", "--db", database, "--reason", "bench"], expect=(0,))
        recomputed, _, _ = measured([binary, "list", "--db", database], expect=(0,))
        again, _, _ = measured([binary, "list", "--db", database], expect=(0,))
        print(f"  after `baseline set`: the first list compares again ({recomputed:.3f} s), the next reads"
              f" ({again:.3f} s)")
        print(f"\ntotal run time {time.monotonic() - began:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
