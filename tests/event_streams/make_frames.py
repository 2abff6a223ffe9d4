#!/usr/bin/env python3
"""Writes frames.json: event-stream frames encoded independently of the
runtime's codec (the layout from AWS's "Event stream encoding" docs, CRCs
with zlib), for the `event_streams` test's loopback servers.

Each case is a list of frames, each frame hex of: total length, headers
length, prelude CRC32, headers, payload, message CRC32 (all big-endian).
Run: python3 tests/event_streams/make_frames.py
"""
import json
import os
import struct
import zlib

STRING, BYTES, INT64, BOOL_TRUE = 7, 6, 5, 0


def header(name, value):
    n = name.encode()
    out = bytes([len(n)]) + n
    if isinstance(value, bool):
        return out + bytes([BOOL_TRUE if value else 1])
    if isinstance(value, int):
        return out + bytes([INT64]) + struct.pack(">q", value)
    if isinstance(value, bytes):
        return out + bytes([BYTES]) + struct.pack(">H", len(value)) + value
    v = value.encode()
    return out + bytes([STRING]) + struct.pack(">H", len(v)) + v


def frame(headers, payload):
    hs = b"".join(header(k, v) for k, v in headers)
    total = 12 + len(hs) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hs))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + hs + payload
    return (body + struct.pack(">I", zlib.crc32(body))).hex()


def event(kind, payload, content_type="application/json"):
    return frame(
        [(":event-type", kind), (":content-type", content_type), (":message-type", "event")],
        payload,
    )


def exception(kind, payload):
    return frame(
        [(":exception-type", kind), (":content-type", "application/json"),
         (":message-type", "exception")],
        payload,
    )


cases = {
    # Bedrock ConverseStream: a reply in three deltas, then stop and usage.
    "converse_stream": [
        event("messageStart", b'{"p":"abcd","role":"assistant"}'),
        event("contentBlockDelta", b'{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"ab"}'),
        event("contentBlockDelta", b'{"contentBlockIndex":0,"delta":{"text":", world"},"p":"abcdef"}'),
        event("contentBlockStop", b'{"contentBlockIndex":0,"p":"a"}'),
        event("messageStop", b'{"p":"abc","stopReason":"end_turn"}'),
        event("metadata", b'{"metrics":{"latencyMs":123},"p":"ab",'
              b'"usage":{"inputTokens":5,"outputTokens":3,"totalTokens":8}}'),
    ],
    # Bedrock ConverseStream failing mid-reply with a modeled exception.
    "converse_stream_throttled": [
        event("messageStart", b'{"role":"assistant"}'),
        exception("throttlingException", b'{"message":"Too many tokens, please wait."}'),
    ],
    # S3 SelectObjectContent: records in two frames, stats, end.
    "select_object_content": [
        event("Records", b"a,1\nb,2\n", "application/octet-stream"),
        event("Records", b"c,3\n", "application/octet-stream"),
        event("Stats", b'<Stats xmlns=""><BytesScanned>24</BytesScanned>'
              b'<BytesProcessed>24</BytesProcessed><BytesReturned>12</BytesReturned></Stats>',
              "text/xml"),
        frame([(":event-type", "End"), (":message-type", "event")], b""),
    ],
    # Lambda InvokeWithResponseStream: two chunks, then completion.
    "invoke_with_response_stream": [
        event("PayloadChunk", b'{"partial":', "application/octet-stream"),
        event("PayloadChunk", b'"reply"}', "application/octet-stream"),
        event("InvokeComplete", b'{"LogResult":"bG9ncw=="}'),
    ],
    # Lambda: an `error` message (not modeled) ends the stream.
    "invoke_error_message": [
        event("PayloadChunk", b"x", "application/octet-stream"),
        frame([(":error-code", "InternalFailure"), (":error-message", "the function crashed"),
               (":message-type", "error")], b""),
    ],
    # Kinesis SubscribeToShard (json): initial-response, then one batch.
    "subscribe_to_shard": [
        frame([(":event-type", "initial-response"), (":message-type", "event")], b"{}"),
        event("SubscribeToShardEvent", b'{"ContinuationSequenceNumber":"49","MillisBehindLatest":0,'
              b'"Records":[{"Data":"aGk=","PartitionKey":"p","SequenceNumber":"48"}]}'),
    ],
}

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "frames.json"), "w") as f:
    json.dump(cases, f, indent=1, sort_keys=True)
    f.write("\n")

# Seeds for the `event_stream` fuzz target (fuzz/src/targets.rs): the
# operation byte, an empty header block, then the frames.
seeds = os.path.join(here, "..", "..", "fuzz", "seeds", "event_stream")
regressions = os.path.join(here, "..", "..", "fuzz", "regressions", "event_stream")
os.makedirs(seeds, exist_ok=True)
os.makedirs(regressions, exist_ok=True)
OPS = {"converse_stream": 0, "invoke_with_response_stream": 2, "select_object_content": 3,
       "subscribe_to_shard": 4}
for case, op in OPS.items():
    with open(os.path.join(seeds, case.replace("_", "-")), "wb") as f:
        f.write(bytes([op << 1]) + b"\n\n" + b"".join(bytes.fromhex(h) for h in cases[case]))
# Hostile inputs that must fail without panicking.
good = b"".join(bytes.fromhex(h) for h in cases["converse_stream"])
hostile = {
    "hand-exception": b"".join(bytes.fromhex(h) for h in cases["converse_stream_throttled"]),
    "hand-error-message": b"".join(bytes.fromhex(h) for h in cases["invoke_error_message"]),
    "hand-truncated": good[:-5],
    "hand-flipped-payload": good[:40] + bytes([good[40] ^ 1]) + good[41:],
    "hand-huge-length": struct.pack(">II", 0xFFFFFFF0, 0) + struct.pack(">I", zlib.crc32(struct.pack(">II", 0xFFFFFFF0, 0))),
    "hand-headers-longer-than-frame": struct.pack(">II", 16, 100) + struct.pack(">I", zlib.crc32(struct.pack(">II", 16, 100))) + b"\0" * 4,
}
for name, data in hostile.items():
    with open(os.path.join(regressions, name), "wb") as f:
        f.write(bytes([0]) + b"\n\n" + data)
