#!/usr/bin/env python3
"""Re-checks a kms-drift history's hash chain from the README's description alone (version 1).

An independent implementation, with Python's standard library only, for operators who want to
check a store without kms-drift, and the test that keeps the README and the binary in
agreement. It re-hashes every link's header and every held snapshot's manifest, and checks
that each link names the one before it. From the marks kept outside the chain (chain_marks) it
also finds a chain table that was dropped, a schema version set back, and a link left unsigned
after signing began. Signatures themselves: see the README (openssl pkeyutl).

Usage: scripts/chain_v1.py DATABASE   → one line per link, then `head #N sha256:<hex>`;
exit 0 when intact, 1 when a link is wrong (each named), 2 on a usage error.
"""
import hashlib
import sqlite3
import sys

KINDS = {0: "file", 1: "link", 2: "unreadable", 3: "vanished", 4: "dir"}


def as_bytes(value):
    if value is None:
        return None
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def text_hex(value):
    return "-" if value is None or value == "" else as_bytes(value).hex()


def manifest_text(db, snapshot, owners):
    owner_columns = "s.uid, s.gid" if owners else "NULL, NULL"
    rows = db.execute(
        f"""SELECT s.kind, s.mode, {owner_columns}, s.size, b.sha256, p.path, s.detail
            FROM entries e JOIN file_states s ON s.id = e.state_id JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id WHERE e.snapshot_id = ?""",
        (snapshot,),
    ).fetchall()
    lines = []
    for kind, mode, uid, gid, size, sha, path, detail in sorted(rows, key=lambda r: as_bytes(r[6])):
        lines.append(
            " ".join(
                [
                    KINDS.get(kind, f"kind{kind}"),
                    format(mode, "04o"),
                    "-" if uid is None else str(uid),
                    "-" if gid is None else str(gid),
                    str(size),
                    "-" if sha is None else sha.hex(),
                    as_bytes(path).hex(),
                    text_hex(detail),
                ]
            )
            + "\n"
        )
    return "".join(lines)


def header_text(link, previous_hex, manifest_hex):
    (snapshot, taken_at, root, host, machine_id, version, origin, note, fingerprint) = link
    return "".join(
        line + "\n"
        for line in [
            "kms-drift chain v1",
            f"snapshot {snapshot}",
            f"previous {previous_hex}",
            f"taken_at_ns {taken_at}",
            f"root {as_bytes(root).hex()}",
            f"host {text_hex(host)}",
            f"machine_id {text_hex(machine_id)}",
            f"tool_version {text_hex(version)}",
            f"origin {origin}",
            f"note {text_hex(note)}",
            f"network_fingerprint {text_hex(fingerprint)}",
            f"manifest {manifest_hex}",
        ]
    )


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    owners = any(row[1] == "uid" for row in db.execute("PRAGMA table_info(file_states)"))
    held = {row[0] for row in db.execute("SELECT id FROM snapshots")}
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    marks = dict(db.execute("SELECT name, value FROM chain_marks")) if "chain_marks" in tables else {}
    version = db.execute("PRAGMA user_version").fetchone()[0]
    bad = 0
    highest = int(marks.get("schema_high_water", "0"))
    if highest > version:
        print(f"BAD: the schema version was set back from {highest} to {version}")
        bad += 1
    if "chain_links" not in tables:
        if "chain_began" in marks or version >= 5:
            print("BAD: the chain table (chain_links) was dropped")
            return 1
        print("no chain yet (a store from before kms-drift kept one)")
        return 1 if bad else 0
    signing_began = int(marks["signing_began"].split()[0]) if "signing_began" in marks else None
    links = db.execute(
        """SELECT snapshot_id, taken_at_ns, root, host, machine_id, tool_version, origin, note,
                  network_fingerprint, format, manifest_sha256, previous_sha256, chain_sha256, signature
           FROM chain_links ORDER BY snapshot_id"""
    ).fetchall()
    previous = "0" * 64
    for row in links:
        snapshot, fmt, manifest, named_previous, chain = row[0], row[9], row[10].hex(), row[11].hex(), row[12].hex()
        problems = []
        if fmt != 1:
            problems.append(f"serialisation version {fmt} is not 1")
        if named_previous != previous:
            problems.append(f"names {named_previous} as its predecessor, expected {previous}")
        if snapshot in held:
            actual = hashlib.sha256(manifest_text(db, snapshot, owners).encode("ascii")).hexdigest()
            if actual != manifest:
                problems.append(f"manifest hashes to {actual}, the link says {manifest}")
        recomputed = hashlib.sha256(header_text(row[:9], named_previous, manifest).encode("ascii")).hexdigest()
        if recomputed != chain:
            problems.append(f"header hashes to {recomputed}, the link says {chain}")
        if signing_began is not None and snapshot >= signing_began and row[13] is None:
            problems.append(f"unsigned, but signing began at #{signing_began}")
        state = "held" if snapshot in held else "rotated"
        print(f"#{snapshot} sha256:{chain} {state} " + ("ok" if not problems else "BAD: " + "; ".join(problems)))
        bad += bool(problems)
        previous = chain
    for missing in sorted(held - {row[0] for row in links}):
        print(f"#{missing} BAD: held but has no link")
        bad += 1
    if links:
        print(f"head #{links[-1][0]} sha256:{links[-1][12].hex()}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
