"""Shared helpers for kms-drift benchmarks: run a command, time it, read its peak memory.

Benchmarks print each figure beside the anchor it is compared with, measured in the same
run on the same machine, and the ratio between them. They are never run by `swift test`.
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
GEN = os.path.join(SHARED, "bench", "gen_workload.py")
BINARY = os.path.join(ROOT, ".build", "release", "kms-drift")


def build_release():
    print("building release binary…", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "kms-drift"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def gen(*args, stdout=None, stderr=None):
    subprocess.run([sys.executable, GEN, *args], check=True, stdout=stdout, stderr=stderr)


def run_measured(argv, shell=False, stdin=None):
    """Runs a command once; returns (wall seconds, peak RSS in KiB, exit status)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv if not shell else ["bash", "-c", argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=stdin)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def median_wall(argv, runs, shell=False):
    walls = [run_measured(argv, shell=shell)[0] for _ in range(runs)]
    return statistics.median(walls)


def row(label, value, anchor_label, anchor, unit="ms", scale=1000.0):
    ratio = anchor / value if value > 0 else float("inf")
    print(f"  {label:<34} {value * scale:10.2f} {unit}   vs {anchor_label:<30} {anchor * scale:10.2f} {unit}"
          f"   ratio {ratio:6.2f}x")
