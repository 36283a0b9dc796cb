"""Cross-check every signature of a TUF metadata directory with securesystemslib (Debian python3-securesystemslib).

usage: verify_sigs.py ROOT_1.json ROOT_2.json ... -- ROLE=FILE ...
Each N.root.json must be signed by a threshold of its own keys and of the previous root's keys;
each ROLE file by a threshold of the keys the last root (or targets, for delegations) names.
Prints one JSON line: {"ok": true, "checked": N} or {"ok": false, "error": "..."}.
"""
import json
import sys

from securesystemslib import keys as sslib_keys
from securesystemslib.formats import encode_canonical


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def count_valid(md, key_dict, keyids, label):
    data = encode_canonical(md["signed"]).encode("utf-8")
    seen = set()
    checked = 0
    for sig in md["signatures"]:
        kid = sig["keyid"]
        if kid not in keyids or kid in seen:
            continue
        key = dict(key_dict[kid])
        key["keyid"] = kid
        if not sslib_keys.verify_signature(key, sig, data):
            raise ValueError("%s: signature by %s does not verify" % (label, kid))
        seen.add(kid)
        checked += 1
    return len(seen), checked


def main(argv):
    sep = argv.index("--") if "--" in argv else len(argv)
    roots, others = argv[:sep], argv[sep + 1:]
    total = 0
    prev = None
    for path in roots:
        md = load(path)
        signed = md["signed"]
        role = signed["roles"]["root"]
        n, c = count_valid(md, signed["keys"], role["keyids"], path)
        total += c
        if n < role["threshold"]:
            raise ValueError("%s: %d of %d signatures of its own root keys" % (path, n, role["threshold"]))
        if prev is not None:
            prole = prev["roles"]["root"]
            n, c = count_valid(md, prev["keys"], prole["keyids"], path)
            if n < prole["threshold"]:
                raise ValueError("%s: %d of %d signatures of the previous root's keys" % (path, n, prole["threshold"]))
            if signed["version"] != prev["version"] + 1:
                raise ValueError("%s: version is not previous + 1" % path)
        prev = signed
    targets = None
    for item in others:
        role_name, path = item.split("=", 1)
        md = load(path)
        if role_name in prev["roles"]:
            role = prev["roles"][role_name]
            key_dict = prev["keys"]
        else:
            deleg = targets["delegations"]
            role = next(r for r in deleg["roles"] if r["name"] == role_name)
            key_dict = deleg["keys"]
        n, c = count_valid(md, key_dict, role["keyids"], path)
        total += c
        if n < role["threshold"]:
            raise ValueError("%s: %d of %d signatures" % (path, n, role["threshold"]))
        if role_name == "targets":
            targets = md["signed"]
    print(json.dumps({"ok": True, "checked": total}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as e:  # report, never a traceback the test has to parse
        print(json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
