#!/usr/bin/env python3
"""Recomputes `kms-drift fingerprint` from the README's description alone (version 1).

An independent implementation for operators who want to check a fingerprint without
kms-drift, and the test that keeps the README and the binary in agreement. Python 3.11+
(tomllib). Usage: scripts/fingerprint_v1.py FILE.toml  → prints sha256:<64 hex>
"""
import hashlib
import math
import sys
import tomllib
from datetime import date, datetime, time

BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def quoted(text):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append("\\u%04X" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def key(name):
    return name if name and all(c in BARE for c in name) else quoted(name)


def sorted_keys(table):
    return sorted(table, key=lambda k: [ord(c) for c in k])


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "-inf" if v < 0 else "inf"
        return "0.0" if v == 0 else repr(v)
    if isinstance(v, str):
        return quoted(v)
    if isinstance(v, (datetime, date, time)):
        raise SystemExit("date-times are not reproduced by this checker")
    if isinstance(v, list):
        return "[" + ",".join(value(item) for item in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(key(k) + "=" + value(v[k]) for k in sorted_keys(v)) + "}"
    raise SystemExit("unexpected value %r" % (v,))


def flatten(v, path, lines):
    if isinstance(v, dict):
        for k in sorted_keys(v):
            flatten(v[k], path + "." + key(k), lines)
    else:
        lines.append(path + "=" + value(v))


def text_of(root):
    lines = []
    threshold = root.get("threshold", {})
    if isinstance(threshold, dict):
        for name in ("threshold", "decryption_mode"):
            if name in threshold:
                flatten(threshold[name], "threshold." + name, lines)
        peers = threshold.get("peers", [])
        with_id = [p for p in peers if isinstance(p, dict) and isinstance(p.get("party_id"), int)
                   and not isinstance(p.get("party_id"), bool)]
        for peer in sorted(with_id, key=lambda p: p["party_id"]):
            base = "threshold.peers[party_id=%d]" % peer["party_id"]
            for k in sorted_keys(peer):
                if k != "party_id":
                    flatten(peer[k], base + "." + key(k), lines)
        auto = threshold.get("tls", {}).get("auto", {}) if isinstance(threshold.get("tls"), dict) else {}
        if isinstance(auto, dict) and "trusted_releases" in auto:
            lines.append("threshold.tls.auto.trusted_releases=" + value(auto["trusted_releases"]))
    for name in ("rate_limiter_conf", "internal_config"):
        if name in root:
            flatten(root[name], key(name), lines)
    return "kms-drift network fingerprint v1\n" + "".join(line + "\n" for line in lines)


def main():
    with open(sys.argv[1], "rb") as handle:
        root = tomllib.load(handle)
    print("sha256:" + hashlib.sha256(text_of(root).encode("utf-8")).hexdigest())


if __name__ == "__main__":
    main()
