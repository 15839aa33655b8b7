#!/usr/bin/env python3
"""Benchmark of `kms-drift effective` (issue 10: what the node really runs).

`effective` with 4 layer files (config/default.toml, config/kms_core.toml,
config/kms_core-local.toml and the --config-file, plus an empty /etc/config) and 20 KMS_CORE__
overrides from an env file, side by side in the same run with `check` of one real party file
against its copy. Target: effective within 2x of check (the floor of both is process start).

Usage: python3 Benchmarks/effective_bench.py [--runs 50] [--skip-build]
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import BINARY, SHARED, build_release, median_wall, run_measured  # noqa: E402

PARTY = os.path.join(SHARED, "corpus", "kms", "core__service__config__default_1.toml")

OVERRIDES = [
    ("SERVICE__LISTEN_ADDRESS", "127.0.0.1"), ("SERVICE__LISTEN_PORT", "50200"),
    ("SERVICE__TIMEOUT_SECS", "120"), ("SERVICE__GRPC_MAX_MESSAGE_SIZE", "2097152"),
    ("THRESHOLD__MY_ID", "2"), ("THRESHOLD__LISTEN_PORT", "50002"), ("THRESHOLD__DEC_CAPACITY", "20000"),
    ("THRESHOLD__MIN_DEC_CACHE", "7000"), ("THRESHOLD__NUM_SESSIONS_PREPROC", "4"),
    ("THRESHOLD__DECRYPTION_MODE", "NoiseFloodSmall"), ("THRESHOLD__CORE_TO_CORE_NET__MULTIPLIER", "2.0"),
    ("THRESHOLD__CORE_TO_CORE_NET__MAX_INTERVAL", "60"), ("PUBLIC_VAULT__STORAGE__FILE__PREFIX", "PUB-p2"),
    ("PRIVATE_VAULT__STORAGE__FILE__PREFIX", "PRIV-p2"), ("AWS__REGION", "eu-west-1"),
    ("TELEMETRY__TRACING_SERVICE_NAME", "kms-threshold-2"), ("TELEMETRY__ENABLE_SYS_METRICS", "yes"),
    ("TELEMETRY__METRICS_BIND_ADDRESS", "0.0.0.0:9464"), ("TELEMETRY__REFRESH_INTERVAL_MS", "5000"),
    ("TELEMETRY__TRACING_OTLP_TIMEOUT_MS", "8000"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    if not args.skip_build:
        build_release()
    work = tempfile.mkdtemp(prefix="kms-drift-bench-effective-")
    try:
        os.makedirs(os.path.join(work, "config"))
        os.makedirs(os.path.join(work, "etc-config"))
        shutil.copy(PARTY, os.path.join(work, "config", "default.toml"))
        with open(os.path.join(work, "config", "kms_core.toml"), "w") as f:
            f.write("[service]\ntimeout_secs = 300\n\n[threshold]\ndec_capacity = 12000\n")
        with open(os.path.join(work, "config", "kms_core-local.toml"), "w") as f:
            f.write("[telemetry]\ntracing_service_name = \"kms-local\"\nenable_sys_metrics = false\n")
        node = os.path.join(work, "node.toml")
        with open(node, "w") as f:
            f.write("[threshold]\nmy_id = 0\n\n[public_vault.storage.file]\npath = \"./keys\"\nprefix = \"UNSET-PUB\"\n")
        env = os.path.join(work, "party2.env")
        with open(env, "w") as f:
            for key, value in OVERRIDES:
                f.write(f"KMS_CORE__{key}={value}\n")
        copy = os.path.join(work, "party-copy.toml")
        shutil.copy(PARTY, copy)

        effective = [BINARY, "effective", "--workdir", work, "--config-file", "node.toml", "--env-file", env,
                     "--etc-config-dir", os.path.join(work, "etc-config")]
        status = run_measured(effective)[2]
        if status != 0:
            sys.exit(f"effective exited {status}")
        check = [BINARY, "check", PARTY, copy]
        print(f"effective (4 layer files, {len(OVERRIDES)} env overrides) vs check of one party file "
              f"(median of {args.runs} runs each)")
        effective_wall = median_wall(effective, args.runs)
        check_wall = median_wall(check, args.runs)
        ratio = effective_wall / check_wall
        print(f"  kms-drift effective {effective_wall * 1000:8.2f} ms   vs kms-drift check {check_wall * 1000:8.2f} ms"
              f"   effective/check {ratio:5.2f}x")
        print(f"  target effective ≤ 2x check: {'met' if ratio <= 2 else 'NOT met'}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
