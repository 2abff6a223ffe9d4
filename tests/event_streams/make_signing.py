#!/usr/bin/env python3
"""Writes signing.json: the chained SigV4 signatures of an input event
stream (Transcribe Streaming's AudioEvent messages, then the empty end
message), computed from AWS's description of event-stream signing
("Signing the event stream": AWS4-HMAC-SHA256-PAYLOAD, the previous
signature, the SHA-256 of the encoded `:date` header and of the message)
with Python's hmac and hashlib, independently of the runtime and of
aws-sigv4. The `event_streams` test signs the same messages and compares
signatures and wrapper frames byte for byte.
Run: python3 tests/event_streams/make_signing.py
"""
import calendar
import hashlib
import hmac
import json
import os
import struct
import time
import zlib

ACCESS_KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-west-2"
SERVICE = "transcribe"
# The signature of the HTTP/2 request that opened the stream (the seed).
SEED = "d1a8bc5a2ab7e23e3e5bd5d3f1b6ffa1e2ca6cf2f70e7e7cc4f4a9a33c8d2d5b"
START = "2026-12-04T01:02:03Z"


def header(name, type_code, value):
    n = name.encode()
    return bytes([len(n)]) + n + bytes([type_code]) + value


def string(name, s):
    v = s.encode()
    return header(name, 7, struct.pack(">H", len(v)) + v)


def frame(headers, payload):
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack(">I", zlib.crc32(body))


def hm(key, msg):
    return hmac.new(key, msg.encode() if isinstance(msg, str) else msg, hashlib.sha256).digest()


def sign(prev, payload, epoch):
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))
    day = stamp[:8]
    date_header = header(":date", 8, struct.pack(">q", epoch * 1000))
    sts = "\n".join([
        "AWS4-HMAC-SHA256-PAYLOAD",
        stamp,
        f"{day}/{REGION}/{SERVICE}/aws4_request",
        prev,
        hashlib.sha256(date_header).hexdigest(),
        hashlib.sha256(payload).hexdigest(),
    ])
    key = hm(hm(hm(hm(("AWS4" + SECRET).encode(), day), REGION), SERVICE), "aws4_request")
    signature = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    wrapper = frame(
        header(":chunk-signature", 6, struct.pack(">H", 32) + bytes.fromhex(signature)) + date_header,
        payload,
    )
    return signature, wrapper


start = calendar.timegm(time.strptime(START, "%Y-%m-%dT%H:%M:%SZ"))
audio = [bytes(range(i, i + 32)) for i in (0, 100)]
messages = [
    frame(string(":content-type", "application/octet-stream") + string(":event-type", "AudioEvent")
          + string(":message-type", "event"), chunk)
    for chunk in audio
]
prev = SEED
steps = []
for i, m in enumerate(messages + [b""]):
    epoch = start + i
    signature, wrapper = sign(prev, m, epoch)
    steps.append({
        "epoch_seconds": epoch,
        "audio": audio[i].hex() if i < len(audio) else None,
        "signature": signature,
        "wrapper": wrapper.hex(),
    })
    prev = signature

out = {
    "access_key": ACCESS_KEY, "secret_key": SECRET, "region": REGION, "service": SERVICE,
    "seed": SEED, "steps": steps,
}
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "signing.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
