#!/usr/bin/env python3
"""The daemon's steady-state cost, beside etckeeper's (one `git add -A && git commit` per interval).

Runs `kms-drift daemon` at a fixed interval for a few minutes on two workloads — the
10,000-file tree (`gen_workload.py tree`) and a 13-party config directory — and reads, from
/proc/PID/stat and /proc/PID/status: CPU time per cycle, average CPU %, peak RSS. In the same
run, on the same directory, it commits the directory to a git repository once per interval
(what etckeeper does from cron) and reports that CPU beside it.

Targets (the issue): under 1 % CPU on the tree, under 0.1 % on the party directory, RSS under
30 MB. The daemon runs with `[schedule] watch` on (the default): inotify on every directory,
whose count is printed; nothing changes during the run, so this is the idle cost of watching. Not a test: `swift test` never runs it. /proc counts CPU in 10 ms ticks: on the party
directory a cycle costs well under one tick, so run the default 5 minutes for a figure.

    python3 Benchmarks/daemon_bench.py                      # 5 minutes per workload at 10 s
    python3 Benchmarks/daemon_bench.py --minutes 1 --interval 5 --binary .build-daemon/release/kms-drift
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a live process, from /proc/PID/stat (fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_kib(pid, key):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def inotify_watches(pid):
    """How many inotify watches the process holds (the `inotify wd:` lines of its fdinfo)."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fdinfo"):
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as handle:
                count += sum(1 for line in handle if line.startswith("inotify wd:"))
        except OSError:
            pass
    return count


def git_commit_cpu(git_dir, work_tree):
    """CPU seconds (user + sys, children included) of one etckeeper-style commit."""
    script = (f"git --git-dir={git_dir} --work-tree={work_tree} add -A && "
              f"git --git-dir={git_dir} --work-tree={work_tree} commit -q -m tick >/dev/null 2>&1; true")
    proc = subprocess.Popen(["bash", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def measure(name, directory, binary, minutes, interval, work):
    database = os.path.join(work, f"{name}.db")
    notify_path = os.path.join(work, f"{name}.notify")
    for path in (database, database + "-wal", database + "-shm", notify_path):
        if os.path.exists(path):
            os.remove(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    listener.settimeout(0.5)
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    stderr = open(os.path.join(work, f"{name}.stderr"), "w")
    started = time.monotonic()
    daemon = subprocess.Popen(
        [binary, "daemon", "--dir", directory, "--db", database, "--interval-ms", str(int(interval * 1000))],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env)

    def next_message(deadline):
        while time.monotonic() < deadline:
            try:
                return listener.recv(4096).decode()
            except socket.timeout:
                if daemon.poll() is not None:
                    raise RuntimeError(f"daemon exited with {daemon.returncode}; see {stderr.name}")
        return None

    message = next_message(time.monotonic() + 600)
    if message is None or "READY=1" not in message:
        raise RuntimeError(f"no READY from the daemon on {name}")
    first_cycle_wall = time.monotonic() - started
    first_cycle_cpu = cpu_seconds(daemon.pid)
    watches = inotify_watches(daemon.pid)

    # etckeeper's anchor: the initial commit is its "first cycle".
    git_dir = os.path.join(work, f"{name}.git")
    shutil.rmtree(git_dir, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", git_dir], check=True)
    subprocess.run(["git", "--git-dir", git_dir, "config", "user.email", "bench@localhost"], check=True)
    subprocess.run(["git", "--git-dir", git_dir, "config", "user.name", "bench"], check=True)
    git_first = git_commit_cpu(git_dir, directory)

    steady_cpu_start = cpu_seconds(daemon.pid)
    steady_start = time.monotonic()
    end = steady_start + minutes * 60
    cycles = 0
    git_cpu = 0.0
    git_runs = 0
    next_git = steady_start
    while time.monotonic() < end:
        if time.monotonic() >= next_git:
            git_cpu += git_commit_cpu(git_dir, directory)
            git_runs += 1
            next_git += interval
        message = next_message(min(end, next_git))
        if message and "STATUS=cycle" in message:
            cycles += 1
    steady_wall = time.monotonic() - steady_start
    steady_cpu = cpu_seconds(daemon.pid) - steady_cpu_start
    peak_rss = memory_kib(daemon.pid, "VmHWM")
    final_rss = memory_kib(daemon.pid, "VmRSS")
    daemon.terminate()
    status = daemon.wait(timeout=120)
    listener.close()
    stderr.close()

    per_cycle = steady_cpu / cycles if cycles else float("nan")
    git_per_run = git_cpu / git_runs if git_runs else float("nan")
    print(f"\n{name}: {minutes} min at a {interval:g} s interval, {cycles} steady cycles, exit {status};"
          f" watching on: {watches} inotify watches")
    print(f"  first cycle (full read)            {first_cycle_cpu * 1000:10.1f} ms CPU ({first_cycle_wall:.2f} s wall)"
          f"   vs git first commit {git_first * 1000:10.1f} ms CPU")
    bench_common.row("CPU per cycle", per_cycle, "git add -A && git commit", git_per_run)
    print(f"  average CPU                        {steady_cpu / steady_wall * 100:10.4f} %"
          f"    vs git per interval            {git_cpu / steady_wall * 100:10.4f} %")
    print(f"  peak RSS (VmHWM)                   {peak_rss / 1024:10.1f} MB   (VmRSS at the end {final_rss / 1024:.1f} MB)")
    return steady_cpu / steady_wall * 100, peak_rss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0, help="steady-state length per workload")
    parser.add_argument("--interval", type=float, default=10.0, help="daemon interval in seconds")
    parser.add_argument("--binary", default=bench_common.BINARY, help="the kms-drift binary (release)")
    parser.add_argument("--build", action="store_true", help="build the release binary first")
    parser.add_argument("--workloads", default="party,tree", help="comma-separated: party, tree")
    args = parser.parse_args()
    if args.build:
        bench_common.build_release()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: pass --build or --binary PATH")

    work = tempfile.mkdtemp(prefix="kms-drift-daemon-bench-")
    try:
        targets = {"party": 0.1, "tree": 1.0}
        for name in args.workloads.split(","):
            directory = os.path.join(work, name)
            os.makedirs(directory)
            if name == "party":
                for party in range(1, 14):
                    with open(os.path.join(directory, f"party{party}.toml"), "w") as out:
                        bench_common.gen("party", "--party", str(party), "--style", "server", stdout=out)
            else:
                print("generating the 10,000-file tree…", flush=True)
                bench_common.gen("tree", directory)
            cpu, rss = measure(name, directory, binary, args.minutes, args.interval, work)
            verdict = "meets" if cpu < targets[name] and rss < 30 * 1024 else "MISSES"
            print(f"  {verdict} the target: CPU < {targets[name]} %, RSS < 30 MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
