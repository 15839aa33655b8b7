#!/usr/bin/env python3
"""Benchmark of the snapshot store (issue: backups).

On `gen_workload.py tree` (10,000 files, ~230 MB), beside anchors measured in the same run:
1. first snapshot vs `git add -A && git commit` (what etckeeper does) and the guide's `cp -r`;
   target: faster than git;
2. snapshot of the unchanged tree, and after `gen_workload.py touch --files 10`, vs git on the
   same change; target: at most git's time;
3. database size after 10 more snapshots with 10 touched files each vs 11 `cp -r` copies and
   the `.git` directory holding the same history; target: no larger than `.git`;
4. peak memory of a snapshot; target under 64 MB whatever the tree's size.

Usage: python3 Benchmarks/store_bench.py [--files 10000] [--mb 200] [--skip-build] [--keep-work]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import BINARY, build_release, gen, row, run_measured  # noqa: E402


def dir_size(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            full = os.path.join(base, name)
            if not os.path.islink(full):
                total += os.path.getsize(full)
    return total


def db_size(path):
    return sum(os.path.getsize(p) for p in (path, path + "-wal", path + "-shm") if os.path.exists(p))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--keep-work", action="store_true")
    args = parser.parse_args()
    if not args.skip_build:
        build_release()
    work = tempfile.mkdtemp(prefix="kms-drift-store-bench-")
    tree, gitdir, db = os.path.join(work, "tree"), os.path.join(work, "git"), os.path.join(work, "history.db")
    backups = os.path.join(work, "backups")
    os.makedirs(backups)
    print(f"generating tree ({args.files} files, ~{args.mb} MB)…", flush=True)
    gen("tree", tree, "--files", str(args.files), "--mb", str(args.mb))
    tree_bytes = dir_size(tree)
    print(f"tree: {tree_bytes / 2**20:.1f} MiB")
    subprocess.run(["git", "init", "-q", "--bare", gitdir], check=True)
    git = f"git --git-dir={gitdir} --work-tree={tree} -c user.name=bench -c user.email=bench@example.org"
    git_commit = f"{git} add -A && {git} commit -q -m snapshot --allow-empty"
    ours = [BINARY, "snapshot", "--dir", tree, "--db", db]

    def cp(index):
        return f"cp -r {tree} {backups}/{index}"

    print("1. first snapshot")
    wall, rss, status = run_measured(ours)
    assert status in (0, 1), f"kms-drift snapshot exited {status}"
    git_wall = run_measured(git_commit, shell=True)[0]
    cp_wall = run_measured(cp(0), shell=True)[0]
    row("kms-drift snapshot", wall, "git add -A && git commit", git_wall, unit="s", scale=1.0)
    row("kms-drift snapshot", wall, "cp -r", cp_wall, unit="s", scale=1.0)
    peak = rss

    print("2. snapshot of the unchanged tree, then after touching 10 files")
    wall, rss, _ = run_measured(ours)
    peak = max(peak, rss)
    git_wall = run_measured(git_commit, shell=True)[0]
    row("unchanged: kms-drift snapshot", wall, "git add -A && git commit", git_wall, unit="s", scale=1.0)
    with open(os.devnull, "w") as null:
        gen("touch", tree, "--files", "10", "--seed", "100", stderr=null)
    wall, rss, _ = run_measured(ours)
    peak = max(peak, rss)
    git_wall = run_measured(git_commit, shell=True)[0]
    row("10 touched: kms-drift snapshot", wall, "git add -A && git commit", git_wall, unit="s", scale=1.0)

    print("3. size after 10 more snapshots with 10 touched files each")
    for index in range(1, 11):
        with open(os.devnull, "w") as null:
            gen("touch", tree, "--files", "10", "--seed", str(200 + index), stderr=null)
        _, rss, _ = run_measured(ours)
        peak = max(peak, rss)
        run_measured(git_commit, shell=True)
        run_measured(cp(index), shell=True)
    subprocess.run(f"git --git-dir={gitdir} gc -q --auto", shell=True)
    ours_size, git_size, cp_size = db_size(db), dir_size(gitdir), dir_size(backups)
    print(f"  kms-drift database {ours_size / 2**20:10.1f} MiB   vs .git {git_size / 2**20:10.1f} MiB"
          f"   ratio {git_size / ours_size:5.2f}x   vs 11 cp -r copies {cp_size / 2**20:10.1f} MiB"
          f"   ratio {cp_size / ours_size:5.2f}x")
    print(f"  target no larger than .git: {'met' if ours_size <= git_size else 'NOT met'}")
    print(f"4. peak RSS of a snapshot: {peak / 1024:.1f} MiB (target < 64 MiB): {'met' if peak < 64 * 1024 else 'NOT met'}")
    subprocess.run([BINARY, "verify", "--db", db], check=True, stdout=subprocess.DEVNULL)
    if args.keep_work:
        print(f"work directory kept: {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
