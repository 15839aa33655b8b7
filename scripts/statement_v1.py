#!/usr/bin/env python3
"""Re-checks kms-drift network statements (kms-drift.statement/1) from the README's description alone.

An independent implementation, with Python's standard library only (Ed25519 verification is the
RFC 8032 reference code below), for operators who want to check the parties' statements without
kms-drift, and the test that keeps the README and the binary in agreement. For each statement it
checks the signature against the key the keyring pins for its party, the network name and salt,
that every value hashes to its digest and that the peer groups sum up their members.

Usage: scripts/statement_v1.py KEYRING.toml STATEMENT.json|DIRECTORY...
  → one line per statement; exit 0 when all are valid, 1 when one is not (each named), 2 on a usage error.
"""
import base64
import hashlib
import json
import os
import re
import sys
import tomllib

# TOML string quoting, as kms-drift writes it: the fingerprint checker's (same directory).
from fingerprint_v1 import quoted

FORMAT = "kms-drift.statement/1"
PEER_LIST = "threshold.peers"

# --- Ed25519 verification, RFC 8032 section 6 (reference code) ---------------------------------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 % P == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def _add(a, b):
    e1 = (a[1] - a[0]) * (b[1] - b[0]) % P
    e2 = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = e2 - e1, d - c, d + c, e2 + e1
    return (e * f, g * h, f * g, e * h)


def _mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _decompress(data):
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
BASE = (_GX, _GY, 1, _GX * _GY % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, BASE), _add(r, _mul(h, a)))


# --- the format ----------------------------------------------------------------------------------
def by_bytes(paths):
    return sorted(paths, key=lambda p: p.encode("utf-8"))


def sha(text):
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def leaf_digest(network, salt, path, canonical):
    return sha(f"{FORMAT} leaf\n{network}\n{salt}\n{path}\n{canonical}\n")


def group_digest(network, salt, path, members):
    text = f"{FORMAT} group\n{network}\n{salt}\n{path}\n"
    for member in by_bytes(members):
        text += f"{member} {members[member]}\n"
    return sha(text)


def salt_id(salt):
    return "none" if not salt else hashlib.sha256(f"{FORMAT} salt\n{salt}\n".encode()).hexdigest()[:16]


ENTRY = re.compile(r"^(threshold\.peers\[party_id=[^\]]*\])\.")
GROUP = re.compile(r"^threshold\.peers(\[party_id=[^\[\]]*\])?$")


def with_groups(leaves, network, salt):
    result = dict(leaves)
    entries = {}
    for path, digest in leaves.items():
        match = ENTRY.match(path)
        if match:
            entries.setdefault(match.group(1), {})[path] = digest
    peer_list = {}
    for entry, members in entries.items():
        peer_list[entry] = result[entry] = group_digest(network, salt, entry, members)
    if peer_list:
        result[PEER_LIST] = group_digest(network, salt, PEER_LIST, peer_list)
    return result


def signed_text(s):
    head = s.get("chain_head") or "-"
    lines = [FORMAT, "network " + quoted(s["network"]), "salt_id " + s["salt_id"], f"party_id {s['party_id']}",
             "time " + s["time"], f"sequence {s['sequence']}", "chain_head " + head]
    lines += [f"component {path} {s['components'][path]}" for path in by_bytes(s["components"])]
    values = s.get("values") or {}
    lines += [f"value {path} {values[path]}" for path in by_bytes(values)]
    return "".join(line + "\n" for line in lines)


# --- the keyring ---------------------------------------------------------------------------------
ED25519_PUBLIC_PREFIX = bytes.fromhex("302a300506032b6570032100")


def public_key(pem, source):
    match = re.search(r"-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", pem, re.S)
    if not match:
        raise SystemExit(f"{source}: no PUBLIC KEY block")
    der = base64.b64decode("".join(match.group(1).split()))
    if len(der) != 44 or not der.startswith(ED25519_PUBLIC_PREFIX):
        raise SystemExit(f"{source}: not an Ed25519 public key")
    return der[12:]


def load_keyring(path):
    with open(path, "rb") as handle:
        root = tomllib.load(handle)
    keys = {}
    for party in root.get("party", []):
        if "public_key" in party:
            keys[party["party_id"]] = public_key(party["public_key"], path)
        else:
            file = os.path.join(os.path.dirname(path), party["public_key_file"])
            with open(file, encoding="utf-8") as handle:
                keys[party["party_id"]] = public_key(handle.read(), file)
    return root["network"], root.get("salt", "").lower(), keys


# --- checking ------------------------------------------------------------------------------------
def problems_of(statement, network, salt, keys):
    members = {"format", "network", "salt_id", "party_id", "time", "sequence", "chain_head", "components",
               "values", "signature"}
    if set(statement) - members or members - {"values"} - set(statement):
        return ["its members are not those of version 1"]
    if statement.get("format") != FORMAT:
        return [f"format is {statement.get('format')!r}, not {FORMAT}"]
    party = statement["party_id"]
    if party not in keys:
        return [f"party {party} is not in the keyring"]
    signature = statement.get("signature") or ""
    if not signature.startswith("ed25519:"):
        return ["unsigned"]
    raw = base64.b64decode(signature[len("ed25519:"):])
    message = signed_text(statement).encode("utf-8")
    if not ed25519_verify(keys[party], message, raw):
        for other, key in sorted(keys.items()):
            if other != party and ed25519_verify(key, message, raw):
                return [f"signed by the wrong key (party {other}'s)"]
        return ["bad signature"]
    problems = []
    if statement["network"] != network:
        problems.append(f"network {statement['network']!r} is not {network!r}")
    if statement["salt_id"] != salt_id(salt):
        problems.append(f"salt_id {statement['salt_id']} is not the keyring's {salt_id(salt)}")
    components = statement["components"]
    for path, value in (statement.get("values") or {}).items():
        if components.get(path) != leaf_digest(network, salt, path, value):
            problems.append(f"the value of {path} does not hash to its digest")
    leaves = {p: d for p, d in components.items() if not GROUP.match(p)}
    if with_groups(leaves, network, salt) != components:
        problems.append("the peer groups do not sum up the peer components")
    return problems


def unique_members(pairs):
    """An object whose keys are all distinct: a member given twice would read one way here and
    another in kms-drift, so both refuse it."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} is repeated")
        result[key] = value
    return result


def statement_files(arguments):
    for argument in arguments:
        if os.path.isdir(argument):
            for name in sorted(os.listdir(argument)):
                if name.endswith(".json") and not name.startswith("."):
                    yield os.path.join(argument, name)
        else:
            yield argument


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    network, salt, keys = load_keyring(sys.argv[1])
    bad = 0
    for file in statement_files(sys.argv[2:]):
        try:
            with open(file, "rb") as handle:
                statement = json.loads(handle.read(), object_pairs_hook=unique_members)
            problems = problems_of(statement, network, salt, keys)
            party = statement.get("party_id")
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problems, party = [f"not a statement ({error.__class__.__name__}: {error})"], "?"
        print(f"party {party} {file} sequence {statement.get('sequence') if party != '?' else '?'} "
              + ("ok" if not problems else "BAD: " + "; ".join(problems)))
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
