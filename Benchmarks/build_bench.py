#!/usr/bin/env python3
"""Clean `swift build --build-tests` of this tree beside the same build of an anchor commit.

    Benchmarks/build_bench.py [--anchor REV] [--sequential]

The anchor defaults to 9ebdc4a, the commit before issue 21 (AsyncHTTPClient, NIO and the
kms-drift-live helper still in the package). Each side is a fresh `git clone` of its commit
into a temporary directory, so both start from nothing (packages resolved from the local
mirrors, every module compiled). By default the two builds run at the same time, so that
whatever else the machine is doing slows both alike; --sequential runs the anchor first, then
this tree. Prints wall and CPU seconds of each, and the ratio (this tree / anchor).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from bench_common import ROOT


def clone(revision, directory):
    subprocess.run(["git", "clone", "-q", "--no-checkout", ROOT, directory], check=True)
    subprocess.run(["git", "-C", directory, "checkout", "-q", revision], check=True)
    # The tests read ../shared: give each clone the same sibling.
    shared = os.path.join(os.path.dirname(ROOT), "shared")
    os.symlink(shared, os.path.join(os.path.dirname(directory), "shared"))


def start_build(directory, log):
    return subprocess.Popen(["swift", "build", "--build-tests"], cwd=directory, stdout=log,
                            stderr=subprocess.STDOUT)


def wait(process):
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--anchor", default="9ebdc4a")
    parser.add_argument("--sequential", action="store_true")
    options = parser.parse_args()
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="kms-drift-build-bench-")
    sides = {}
    for name, revision in (("anchor", options.anchor), ("this tree", head)):
        parent = os.path.join(work, name.replace(" ", "-"))
        os.makedirs(parent)
        directory = os.path.join(parent, "kms-drift")
        clone(revision, directory)
        sides[name] = (revision, directory, open(os.path.join(parent, "build.log"), "w"))
    results = {}
    if options.sequential:
        for name, (revision, directory, log) in sides.items():
            start = time.perf_counter()
            status, cpu = wait(start_build(directory, log))
            results[name] = (time.perf_counter() - start, cpu, status)
    else:
        start = time.perf_counter()
        running = {start_build(directory, log).pid: name for name, (_, directory, log) in sides.items()}
        while running:
            # Whichever ends first: its own wall time, not the other's.
            pid, status, usage = os.wait4(-1, 0)
            if pid in running:
                results[running.pop(pid)] = (time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
                                             os.waitstatus_to_exitcode(status))
    print(f"clean `swift build --build-tests`, {'one after the other' if options.sequential else 'side by side, at the same time'}")
    for name, (revision, _, _) in sides.items():
        wall, cpu, status = results[name]
        print(f"  {name:10} {revision:10} wall {wall:7.1f} s   cpu {cpu:7.1f} s   exit {status}")
    anchor, this = results["anchor"], results["this tree"]
    print(f"  ratio (this tree / anchor): wall {this[0] / anchor[0]:.2f}   cpu {this[1] / anchor[1]:.2f}"
          "   (target: at most 0.70)")
    if anchor[2] != 0 or this[2] != 0:
        print("  a build failed: see the logs under " + work, file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
