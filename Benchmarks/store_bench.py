#!/usr/bin/env python3
"""Benchmark of the snapshot store (issue: backups).

On `gen_workload.py tree` (10,000 files, ~230 MB), beside anchors measured in the same run:
1. first snapshot vs `git add -A && git commit` (what etckeeper does) and the guide's `cp -r`;
   target: faster than git;
2. snapshot of the unchanged tree, and after `gen_workload.py touch --files 10`, vs git on the
   same change; target: at most git's time;
3. database size after 10 more snapshots with 10 touched files each vs 11 `cp -r` copies and
   the `.git` directory holding the same history; target: no larger than `.git`;
4. peak memory of a snapshot; target under 64 MB whatever the tree's size;
5. the first snapshot beside `borg create --compression zstd,3` of the same tree (when borg is
   installed: apt-get install borgbackup), each into a fresh store, in both orders, the median of
   --first-rounds rounds; target: no slower than borg, in each order;
6. an unchanged cycle (median of several) beside `git add -A && git commit` on the unchanged
   tree; target: no slower than git;
7. the store after 1,000 cycles of which 10 changed 10 files (990 unchanged cycles, one-shot
   `snapshot` each) beside the store after the same 10 changed snapshots alone; target: within
   5 %. Run on a smaller tree (--cycle-files, default 1,000 files) to keep the run to minutes.

Every timed first snapshot (ours, git's, cp's, borg's) starts after `sync`, so none pays for the
previous one's writeback; the 1-minute load average is printed beside the figures.

Usage: python3 Benchmarks/store_bench.py [--files 10000] [--mb 200] [--cycles 1000]
       [--cycle-files 1000] [--first-rounds 3] [--skip-cycles] [--skip-build | --binary PATH]
       [--keep-work]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

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


def cycles_store_size(work, cycles, files):
    """Section 7: `cycles` one-shot cycles on a tree of `files` files, 10 of which change 10 files,
    into one store; the same 10 changes alone into another. Both start from the same first state."""
    print(f"7. store after {cycles} cycles with 10 changes vs after the 10 changed snapshots alone"
          f" ({files}-file tree)")
    tree = os.path.join(work, "cycles-tree")
    gen("tree", tree, "--files", str(files), "--mb", str(max(1, files // 50)))
    every_cycle, changes_only = os.path.join(work, "cycles.db"), os.path.join(work, "changes.db")
    change_at = {round((index + 1) * cycles / 11) for index in range(10)}
    subprocess.run([BINARY, "snapshot", "--dir", tree, "--db", changes_only], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    stored = 0
    for cycle in range(cycles):
        if cycle in change_at:
            with open(os.devnull, "w") as null:
                gen("touch", tree, "--files", "10", "--seed", str(500 + cycle), stderr=null)
            subprocess.run([BINARY, "snapshot", "--dir", tree, "--db", changes_only], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        result = subprocess.run([BINARY, "snapshot", "--dir", tree, "--db", every_cycle], capture_output=True,
                                text=True)
        if not result.stdout.startswith("unchanged since"):
            stored += 1
    elapsed = time.perf_counter() - start
    a, b = db_size(every_cycle), db_size(changes_only)
    print(f"  {cycles} cycles stored {stored} snapshots in {elapsed:.1f} s ({elapsed / cycles * 1000:.1f} ms a cycle)")
    print(f"  store after {cycles} cycles {a / 2**20:10.3f} MiB   vs after the 10 changes alone {b / 2**20:10.3f} MiB"
          f"   ratio {a / b:5.3f}x")
    print(f"  target within 5 %: {'met' if abs(a - b) <= 0.05 * b else 'NOT met'}")


def load():
    """The 1-minute load average, printed beside figures: the machine may be shared."""
    return f"{os.getloadavg()[0]:.1f}"


def first_snapshot_vs_borg(work, tree, borg, borg_env, rounds):
    """Section 5: the first snapshot beside `borg create --compression zstd,3` of the same tree, each
    into a fresh store or repository, in both orders (ours then borg, borg then ours), `rounds` times;
    the median of each order, judged order by order."""
    orders = {"ours first": ([], []), "borg first": ([], [])}
    for index in range(rounds):
        for order, (ours_walls, borg_walls) in orders.items():
            db = os.path.join(work, f"first-{index}-{order[0]}.db")
            repo = os.path.join(work, f"borg-{index}-{order[0]}")
            subprocess.run([borg, "init", "--encryption=none", repo], check=True, env=borg_env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            create = (f"cd {tree} && BORG_PASSPHRASE= BORG_BASE_DIR={work}/borg-home "
                      f"{borg} create --compression zstd,3 {repo}::first .")
            runs = [("ours", [BINARY, "snapshot", "--dir", tree, "--db", db], False),
                    ("borg", create, True)]
            if order == "borg first":
                runs.reverse()
            for who, command, shell in runs:
                os.sync()
                wall, _, status = run_measured(command, shell=shell)
                assert status in (0, 1) if who == "ours" else status == 0, f"{who} exited {status}"
                (ours_walls if who == "ours" else borg_walls).append(wall)
            os.remove(db)
            shutil.rmtree(repo)
            # borg's files and chunks caches belong to the repository just removed.
            shutil.rmtree(os.path.join(work, "borg-home"), ignore_errors=True)
    for order, (ours_walls, borg_walls) in orders.items():
        ours_median, borg_median = statistics.median(ours_walls), statistics.median(borg_walls)
        row(f"first snapshot ({order})", ours_median, "borg create zstd,3", borg_median, unit="s", scale=1.0)
        print(f"    runs: ours {', '.join(f'{w:.2f}' for w in ours_walls)} s; borg "
              f"{', '.join(f'{w:.2f}' for w in borg_walls)} s; load average {load()}")
        print(f"  target no slower than borg ({order}): {'met' if ours_median <= borg_median else 'NOT met'}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--cycle-files", type=int, default=1000)
    parser.add_argument("--first-rounds", type=int, default=3,
                        help="rounds of the first snapshot beside borg, each in both orders")
    parser.add_argument("--skip-cycles", action="store_true", help="leave out section 7 (minutes)")
    parser.add_argument("--binary", help="measure this kms-drift instead of the release build (a before figure)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--keep-work", action="store_true")
    args = parser.parse_args()
    global BINARY
    if args.binary:
        BINARY = os.path.abspath(args.binary)
    elif not args.skip_build:
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

    print(f"1. first snapshot (load average {load()})")
    borg = shutil.which("borg")
    borg_env = dict(os.environ, BORG_PASSPHRASE="", BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK="yes",
                    BORG_BASE_DIR=os.path.join(work, "borg-home"))
    # Every timed first snapshot starts with the page cache's dirty pages written out (`sync`): the
    # one that runs second would otherwise pay for the first one's writeback.
    os.sync()
    wall, rss, status = run_measured(ours)
    assert status in (0, 1), f"kms-drift snapshot exited {status}"
    os.sync()
    git_wall = run_measured(git_commit, shell=True)[0]
    os.sync()
    cp_wall = run_measured(cp(0), shell=True)[0]
    row("kms-drift snapshot", wall, "git add -A && git commit", git_wall, unit="s", scale=1.0)
    row("kms-drift snapshot", wall, "cp -r", cp_wall, unit="s", scale=1.0)
    if borg:
        first_snapshot_vs_borg(work, tree, borg, borg_env, args.first_rounds)
    else:
        print("  borg is not installed (apt-get install borgbackup): no borg anchor in this run")
    peak = rss

    print(f"2. snapshot of the unchanged tree, then after touching 10 files (load average {load()})")
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

    print(f"6. an unchanged cycle, median of 7, beside git on the unchanged tree (load average {load()})")
    ours_walls, git_walls = [], []
    for _ in range(7):
        ours_walls.append(run_measured(ours)[0])
        git_walls.append(run_measured(git_commit, shell=True)[0])
    ours_median, git_median = statistics.median(ours_walls), statistics.median(git_walls)
    row("unchanged cycle (kms-drift snapshot)", ours_median, "git add -A && git commit", git_median, unit="s",
        scale=1.0)
    print(f"    runs: ours {', '.join(f'{w:.3f}' for w in ours_walls)} s; git "
          f"{', '.join(f'{w:.3f}' for w in git_walls)} s; load average {load()}")
    print(f"  target no slower than git: {'met' if ours_median <= git_median else 'NOT met'}")

    if not args.skip_cycles:
        cycles_store_size(work, args.cycles, args.cycle_files)
    if args.keep_work:
        print(f"work directory kept: {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
