#!/usr/bin/env python3
"""Benchmark of encrypted exports (issue 12: history that survives the host).

On `gen_workload.py tree` (10,000 files, ~230 MB), snapshotted once, beside anchors measured in
the same run on the same tree:
1. `kms-drift export latest --recipient age1…` (tar, zstd, age) vs `tar -c | age -r` of the
   tree and `restic backup` of the tree into a new repository: wall time (median of --runs)
   and CPU time (user + system, all threads and children); target: faster than `tar | age`.
   `--output FILE` fsyncs the export before renaming it into place, which `tar | age` does not:
   the export is compared with `tar | age` followed by `sync FILE`, and, written to standard
   output (no fsync), with `tar | age` as it is;
2. the size of the export vs the `tar | age` output and the restic repository after that one
   backup; target: no larger than restic's repository;
3. the export decrypts and extracts (age -d | tar --zstd -x) to the tree, checked once.

Usage: python3 Benchmarks/export_bench.py [--files 10000] [--mb 200] [--runs 5] [--skip-build]
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
from bench_common import BINARY, build_release, gen  # noqa: E402


def dir_size(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            full = os.path.join(base, name)
            if not os.path.islink(full):
                total += os.path.getsize(full)
    return total


def timed(command):
    """Runs a command once; returns (wall seconds, CPU seconds of it and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command if not isinstance(command, str) else ["bash", "-c", command],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {command}")
    return wall, usage.ru_utime + usage.ru_stime


def median_of(command, runs, before=None):
    walls, cpus = [], []
    for _ in range(runs):
        if before:
            before()
        wall, cpu = timed(command)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--keep-work", action="store_true")
    args = parser.parse_args()
    for tool in ["age", "age-keygen", "restic", "tar", "zstd"]:
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: scripts/install-deps --tests installs it")
    if not args.skip_build:
        build_release()
    work = tempfile.mkdtemp(prefix="kms-drift-export-bench-")
    tree, db = os.path.join(work, "tree"), os.path.join(work, "history.db")
    print(f"generating tree ({args.files} files, ~{args.mb} MB)…", flush=True)
    gen("tree", tree, "--files", str(args.files), "--mb", str(args.mb))
    print(f"tree: {dir_size(tree) / 2**20:.1f} MiB in {args.files + 13} files")
    subprocess.run([BINARY, "snapshot", "--dir", tree, "--db", db], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    key = os.path.join(work, "key.txt")
    subprocess.run(["age-keygen", "-o", key], check=True, stderr=subprocess.DEVNULL)
    recipient = subprocess.run(["age-keygen", "-y", key], check=True, capture_output=True, text=True).stdout.strip()

    ours_out = os.path.join(work, "export.tar.zst.age")
    tar_out = os.path.join(work, "tree.tar.age")
    repo = os.path.join(work, "restic")
    env_password = os.path.join(work, "restic-password")
    with open(env_password, "w") as f:
        f.write("benchmark\n")

    def remove(path):
        return lambda: os.path.exists(path) and os.remove(path)

    def new_repo():
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run(["restic", "init", "-q", "--repo", repo, "--password-file", env_password], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    ours = [BINARY, "export", "latest", "--db", db, "--output", ours_out, "--recipient", recipient]
    ours_stdout = f"{BINARY} export latest --db {db} --output - --recipient {recipient} > {ours_out}"
    tar_age = f"tar -C {tree} -c . | age -r {recipient} -o {tar_out}"
    tar_age_sync = tar_age + f" && sync {tar_out}"
    restic = f"restic -q --repo {repo} --password-file {env_password} backup {tree}"
    # Warm the page cache for both sources (the database, the tree).
    timed(ours)
    timed(tar_age)
    print(f"timing (median of {args.runs})…", flush=True)
    rows = [
        ("kms-drift export --output FILE", median_of(ours, args.runs, before=remove(ours_out))),
        ("tar -c | age -r && sync FILE", median_of(tar_age_sync, args.runs, before=remove(tar_out))),
        ("kms-drift export --output - > FILE", median_of(ours_stdout, args.runs, before=remove(ours_out))),
        ("tar -c | age -r", median_of(tar_age, args.runs, before=remove(tar_out))),
        ("restic backup (new repository)", median_of(restic, max(1, args.runs // 2), before=new_repo)),
    ]
    ours_size = os.path.getsize(ours_out)
    tar_size = os.path.getsize(tar_out)
    restic_size = dir_size(repo)
    print("\n1. export of the tree, encrypted: wall time (median) and CPU time (user + system)")
    for index, (label, (wall, cpu)) in enumerate(rows):
        line = f"  {label:<36} {wall:7.3f} s wall   {cpu:7.3f} s CPU"
        if index in (1, 3):
            ours_wall, ours_cpu = rows[index - 1][1]
            verdict = "met: faster" if ours_wall < wall else "MISSED"
            line += f"   ours is {wall / ours_wall:4.2f}x its speed ({verdict})"
        print(line)
    print("\n2. size")
    print(f"  kms-drift export                 {ours_size / 2**20:8.1f} MiB")
    print(f"  tar | age                        {tar_size / 2**20:8.1f} MiB   ratio {tar_size / ours_size:5.2f}x")
    print(f"  restic repository, one snapshot  {restic_size / 2**20:8.1f} MiB   ratio {restic_size / ours_size:5.2f}x"
          f"  {'(target met: no larger)' if ours_size <= restic_size else '(target MISSED)'}")

    out = os.path.join(work, "extracted")
    os.makedirs(out)
    subprocess.run(f"age -d -i {key} {ours_out} | tar --zstd -x -C {out}", shell=True, check=True)
    os.remove(os.path.join(out, "kms-drift-manifest.json"))
    same = subprocess.run(["diff", "-r", "-q", tree, out], stdout=subprocess.DEVNULL).returncode == 0
    print(f"\n3. age -d | tar --zstd -x gives back the tree: {'yes' if same else 'NO'}")
    if not args.keep_work:
        shutil.rmtree(work)
    else:
        print(f"work directory kept: {work}")


if __name__ == "__main__":
    main()
