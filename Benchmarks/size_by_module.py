#!/usr/bin/env python3
"""Where the bytes of the kms-drift binary come from: a link map read by module.

Links the packaged binary's way (release, static Swift runtime, --no-export-dynamic) with lld's
`-Map`, then sums the size of every input section that reaches the file (the loaded sections a
stripped binary keeps: code, read-only data, unwind tables, relocations, Swift metadata) by the
library or module it came from: the Swift runtime, FoundationEssentials, the regex libraries,
BoringSSL, swift-certificates and swift-asn1, ArgumentParser, and our own modules.

Usage: python3 Benchmarks/size_by_module.py [--map FILE] [--extra FLAG…]
  --map FILE   read an existing map instead of linking
  --extra …    more `swift build` flags for the link (e.g. -Xswiftc -Osize)
"""
import argparse
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import ROOT  # noqa: E402

# Output sections that take no room in the file (NOBITS) or that `strip --strip-all` removes.
NOT_IN_STRIPPED_FILE = re.compile(r"^(\.bss|\.tbss|\.debug.*|\.symtab|\.strtab|\.comment|\.note\.gnu\.gold.*)$")
OUTPUT = re.compile(r"^([.\w][^\s]*)(\s+0x[0-9a-f]+\s+0x[0-9a-f]+)?\s*$")
INPUT = re.compile(r"^ ([^\s*][^\s]*)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")
INPUT_NAME = re.compile(r"^ ([^\s*][^\s]*)$")
CONTINUED = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")
OURS = {"TOML", "FileSystem", "DriftCore", "KMSValidation", "EffectiveConfig", "SnapshotStore",
        "NetworkAgreement", "Age", "Backup", "DriftConfig", "DriftDaemon", "kms_drift", "CProcessShims"}


def module_of(source):
    """A readable owner for an input file of the link (an archive member or an object file)."""
    archive = re.match(r"^(.*?\.a)\(", source)
    path = archive.group(1) if archive else source.split(":(")[0]
    name = os.path.basename(path)
    if archive:
        name = name[3:] if name.startswith("lib") else name
        name = name[:-2]
        return {"swiftCore": "Swift runtime (swiftCore)"}.get(name, name)
    build = re.search(r"/([^/]+)\.build/", path)
    if build:
        module = build.group(1)
        if module in OURS:
            return f"ours: {module}"
        if module.startswith("CCryptoBoringSSL"):
            return "BoringSSL (swift-crypto)"
        return module
    if "<internal>" in source:
        return "linker-made (PLT, GOT, dynamic tables)"
    return name


def read_map(path):
    """Sizes by owner and output section, from a GNU-style map (gold, as swift links on Linux)."""
    sizes = collections.Counter()
    by_section = collections.defaultdict(collections.Counter)
    output, pending, in_map = None, None, False

    def add(size, source):
        if output is None or NOT_IN_STRIPPED_FILE.match(output):
            return
        owner = module_of(source)
        sizes[owner] += size
        by_section[owner][output] += size

    with open(path, errors="replace") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not in_map:
                in_map = line.startswith("Memory map")
                continue
            if OUTPUT.match(line):
                output, pending = OUTPUT.match(line).group(1), None
                continue
            whole = INPUT.match(line)
            if whole:
                add(int(whole.group(3), 16), whole.group(4))
                pending = None
                continue
            named = INPUT_NAME.match(line)
            if named:
                pending = named.group(1)
                continue
            rest = CONTINUED.match(line)
            if rest and pending is not None:
                add(int(rest.group(2), 16), rest.group(3))
                pending = None
    return sizes, by_section


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--map")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[])
    args = parser.parse_args()
    path = args.map
    if path is None:
        path = os.path.join(ROOT, ".build", "kms-drift.map")
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "kms-drift",
                        "-Xlinker", "--no-export-dynamic", "-Xlinker", f"-Map={path}", *args.extra],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sizes, by_section = read_map(path)
    total = sum(sizes.values())
    ours = sum(size for owner, size in sizes.items() if owner.startswith("ours: "))
    print(f"{'owner':<44} {'bytes':>12} {'share':>6}   largest sections")
    for owner, size in sizes.most_common():
        if size < 20_000:
            continue
        sections = ", ".join(f"{name} {value / 2**20:.2f}M" for name, value in by_section[owner].most_common(3))
        print(f"{owner:<44} {size:>12,} {size / total:6.1%}   {sections}")
    print(f"{'(all our modules together)':<44} {ours:>12,} {ours / total:6.1%}")
    print(f"{'total of input sections kept in the file':<44} {total:>12,}")


if __name__ == "__main__":
    main()
