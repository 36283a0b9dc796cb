"""Cross-check Keyrite's TUF output with securesystemslib (test helper; reads JSON on stdin).

Input: {"files": {role: base64 file bytes}, "payloads": {role: base64 canonical bytes Keyrite signed},
        "keys": {keyid: key object}}
Output: {"results": {role: {"canonical_equal": bool, "verified": [keyid], "failed": [keyid]}},
         "keyid_ok": {keyid: bool}}
"""
import base64
import hashlib
import json
import sys

from securesystemslib.formats import encode_canonical
from securesystemslib.signer import Signature, SSlibKey

req = json.load(sys.stdin)
out = {"results": {}, "keyid_ok": {}}
for keyid, obj in req["keys"].items():
    out["keyid_ok"][keyid] = hashlib.sha256(encode_canonical(obj).encode("utf-8")).hexdigest() == keyid
for role, b64 in req["files"].items():
    doc = json.loads(base64.b64decode(b64))
    data = encode_canonical(doc["signed"]).encode("utf-8")
    res = {"canonical_equal": data == base64.b64decode(req["payloads"][role]), "verified": [], "failed": []}
    for s in doc["signatures"]:
        key = SSlibKey.from_dict(s["keyid"], dict(req["keys"][s["keyid"]]))
        try:
            key.verify_signature(Signature(s["keyid"], s["sig"]), data)
            res["verified"].append(s["keyid"])
        except Exception as e:  # noqa: BLE001 - report any verification failure
            res["failed"].append(s["keyid"] + ": " + repr(e))
    out["results"][role] = res
json.dump(out, sys.stdout)
