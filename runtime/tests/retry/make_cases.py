"""Writes runtime/tests/retry/cases.json: retry decisions computed by
botocore 1.44.5 itself, which the runtime's retry tests replay
(`cargo test -p botogen-runtime --lib retry`).

Run with botocore 1.44.5 installed (the version the runtime follows):

    python3 -m venv /tmp/bc && /tmp/bc/bin/pip install botocore==1.44.5
    /tmp/bc/bin/python runtime/tests/retry/make_cases.py

Three kinds of cases:

- `standard`: one failed (or successful) attempt through botocore's
  `StandardRetryConditions`, `ThrottlingErrorDetector`, `RetryQuotaChecker`
  and `ExponentialBackoff` (with a fixed random number): retried or not,
  throttling or not, the quota's cost and the delay.
- `legacy`: the same attempt through the handler botocore builds from
  `_retry.json` for a service's endpoint prefix (with `random.random`
  fixed): the delay, or none.
- `adaptive`: a timeline of responses and send-token requests through
  `ClientRateLimiter` and `TokenBucket` on a fake clock: the bucket's rate,
  capacity and the measured send rate after each step.
"""

import copy
import json
import os
import random
import zlib

import botocore
from botocore import retryhandler, translate
from botocore.awsrequest import HTTPHeaders
from botocore.exceptions import (
    CapacityNotAvailableError,
    ChecksumError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.retries import adaptive, bucket, quota, standard, throttling

assert botocore.__version__ == "1.44.5", botocore.__version__

HERE = os.path.dirname(os.path.abspath(__file__))

# (service id, endpoint prefix): a plain service and botocore's special ones.
SERVICES = [
    ("Things", "things"),
    ("DynamoDB", "dynamodb"),
    ("DynamoDB Streams", "streams.dynamodb"),
    ("STS", "sts"),
    ("SQS", "sqs"),
]

# The operation's modeled errors: (shape name, error code or None, retryable trait).
ERRORS = [
    ("Busy", None, {}),
    ("SlowDown2", "Slow", {"throttling": True}),
    ("NotFound", None, None),
]

BODY = b'{"Items": []}'
GOOD_CRC = str(zlib.crc32(BODY) & 0xFFFFFFFF)

# (label, status, code or None, headers); code None with a non-2xx status
# is an unparseable body, whose code botocore takes from the status.
RESPONSES = [
    ("ok", 200, None, {}),
    ("ok, matching crc32", 200, None, {"x-amz-crc32": GOOD_CRC}),
    ("ok, wrong crc32", 200, None, {"x-amz-crc32": "1"}),
    ("400 wrong crc32", 400, "ValidationException", {"x-amz-crc32": "1"}),
    ("empty 404", 404, None, {}),
    ("empty 429", 429, None, {}),
    ("empty 500", 500, None, {}),
    ("empty 501", 501, None, {}),
    ("empty 502", 502, None, {}),
    ("empty 503", 503, None, {}),
    ("empty 504", 504, None, {}),
    ("empty 509", 509, None, {}),
    ("Throttling 400", 400, "Throttling", {}),
    ("Throttling 429", 429, "Throttling", {}),
    ("ThrottlingException 400", 400, "ThrottlingException", {}),
    ("ThrottledException 400", 400, "ThrottledException", {}),
    ("RequestThrottledException 400", 400, "RequestThrottledException", {}),
    ("TooManyRequestsException 400", 400, "TooManyRequestsException", {}),
    ("TooManyRequestsException 429", 429, "TooManyRequestsException", {}),
    ("ProvisionedThroughputExceededException 400", 400, "ProvisionedThroughputExceededException", {}),
    ("TransactionInProgressException 400", 400, "TransactionInProgressException", {}),
    ("RequestLimitExceeded 503", 503, "RequestLimitExceeded", {}),
    ("RequestLimitExceeded 400", 400, "RequestLimitExceeded", {}),
    ("BandwidthLimitExceeded 509", 509, "BandwidthLimitExceeded", {}),
    ("LimitExceededException 400", 400, "LimitExceededException", {}),
    ("RequestThrottled 403", 403, "RequestThrottled", {}),
    ("SlowDown 503", 503, "SlowDown", {}),
    ("PriorRequestNotComplete 400", 400, "PriorRequestNotComplete", {}),
    ("EC2ThrottledException 503", 503, "EC2ThrottledException", {}),
    ("RequestTimeout 400", 400, "RequestTimeout", {}),
    ("RequestTimeoutException 408", 408, "RequestTimeoutException", {}),
    ("IDPCommunicationError 400", 400, "IDPCommunicationError", {}),
    ("BadDigest 400", 400, "BadDigest", {}),
    ("ReplicatedWriteConflictException 409", 409, "ReplicatedWriteConflictException", {}),
    ("ValidationException 400", 400, "ValidationException", {}),
    ("AccessDenied 403", 403, "AccessDenied", {}),
    ("InternalError 500", 500, "InternalError", {}),
    ("modeled retryable Busy 409", 409, "Busy", {}),
    ("modeled throttling Slow 400", 400, "Slow", {}),
    ("modeled plain NotFound 404", 404, "NotFound", {}),
    ("modeled plain NotFound 429", 429, "NotFound", {}),
    ("modeled plain NotFound 503", 503, "NotFound", {}),
    ("retry-after 1500 ms", 503, None, {"x-amz-retry-after": "1500"}),
    ("retry-after 30000 ms", 400, "Throttling", {"x-amz-retry-after": "30000"}),
    ("retry-after -1", 503, None, {"x-amz-retry-after": "-1"}),
    ("retry-after not a number", 503, None, {"x-amz-retry-after": "soon"}),
    ("connection error", None, "connection", {}),
    ("read timeout", None, "timeout", {}),
]


class FakeResponse:
    """What botocore's retry code reads of an AWSResponse."""

    def __init__(self, status, headers):
        self.status_code = status
        self.headers = HTTPHeaders()
        for k, v in headers.items():
            self.headers[k] = v
        self.content = BODY


def service_model(service_id, endpoint_prefix):
    shapes = {"Input": {"type": "structure", "members": {}}}
    for name, code, retryable in ERRORS:
        shape = {"type": "structure", "members": {}, "exception": True}
        if code:
            shape["error"] = {"code": code, "httpStatusCode": 400}
        if retryable is not None:
            shape["retryable"] = retryable
        shapes[name] = shape
    model = {
        "metadata": {
            "serviceId": service_id,
            "endpointPrefix": endpoint_prefix,
            "protocol": "json",
            "apiVersion": "2020-01-01",
            "signatureVersion": "v4",
        },
        "operations": {
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "Input"},
                "errors": [{"shape": name} for name, _, _ in ERRORS],
            }
        },
        "shapes": shapes,
    }
    return ServiceModel(model, service_name=endpoint_prefix)


def exception(kind):
    if kind == "connection":
        return EndpointConnectionError(endpoint_url="http://localhost")
    return ReadTimeoutError(endpoint_url="http://localhost")


def parts(status, code, headers):
    """(http_response, parsed_response, caught_exception) for botocore."""
    if status is None:
        return None, None, exception(code)
    parsed = {"ResponseMetadata": {"HTTPStatusCode": status}}
    if not 200 <= status < 300:
        parsed["Error"] = {"Code": code if code else str(status), "Message": ""}
    return FakeResponse(status, headers), parsed, None


def response_json(status, code, headers):
    if status is None:
        return {"transport": code}
    out = {"status": status, "headers": headers}
    if code is not None:
        out["code"] = code
    elif not 200 <= status < 300:
        # botocore's generic error parsing: the status stands in for the code.
        out["code"] = str(status)
    return out


def standard_case(service_id, prefix, label, status, code, headers, attempt, max_attempts):
    op = service_model(service_id, prefix).operation_model("GetThing")
    http, parsed, exc = parts(status, code, headers)

    def context():
        return standard.RetryContext(
            attempt_number=attempt,
            operation_model=op,
            parsed_response=copy.deepcopy(parsed),
            http_response=http,
            caught_exception=exc,
            request_context={},
        )

    hyphenized = service_id.replace(" ", "-").lower()
    conditions = standard.StandardRetryConditions(max_attempts=max_attempts)
    detector = standard.ThrottlingErrorDetector(standard.RetryEventAdapter())
    retry = conditions.is_retryable(context())
    expect = {"retry": bool(retry), "throttling": bool(detector.is_throttling_error_from_context(context()))}
    if retry:
        cx = context()
        checker = standard.RetryQuotaChecker(quota.RetryQuota(), detector)
        assert checker.acquire_retry_quota(cx)
        expect["cost"] = cx.request_context["retry_quota_capacity"]
        for name, r in (("delay_at_1", 1.0), ("delay_at_quarter", 0.25)):
            backoff = standard.ExponentialBackoff(
                random=lambda r=r: r, service_name=hyphenized, throttling_detector=detector
            )
            expect[name] = backoff.delay_amount(context())
    return {
        "name": f"{service_id} / {label} / attempt {attempt} of {max_attempts}",
        "service_id": service_id,
        "endpoint_prefix": prefix,
        "response": response_json(status, code, headers),
        "attempt": attempt,
        "max_attempts": max_attempts,
        "expect": expect,
    }


class FixedRandom:
    def __init__(self, value):
        self.value = value

    def random(self):
        return self.value


def legacy_case(retry_data, prefix, label, status, code, headers, attempt, max_attempts):
    # A fresh copy each time: botocore merges a service's policies into the
    # loader's cached definitions in place, so building one service's
    # handler changes the next one's (organizations would turn every
    # service's 429 policy into its own). The cases state the file's intent.
    data = copy.deepcopy(retry_data)
    client_config = None if max_attempts is None else {"max_attempts": max_attempts - 1}
    config = translate.build_retry_config(prefix, data["retry"], data["definitions"], client_config)
    handler = retryhandler.create_retry_handler(config, prefix)
    http, parsed, exc = parts(status, code, headers)
    response = None if http is None else (http, parsed)
    saved = retryhandler.random
    retryhandler.random = FixedRandom(0.5)
    try:
        delay = handler(
            attempts=attempt,
            response=response,
            caught_exception=exc,
            request_dict={"context": {}},
        )
        raises = None
    except ChecksumError:
        delay, raises = None, "checksum"
    except (EndpointConnectionError, ReadTimeoutError):
        delay, raises = None, "transport"
    finally:
        retryhandler.random = saved
    expect = {"delay": delay}
    if raises:
        expect["raises"] = raises
    return {
        "name": f"legacy {prefix} / {label} / attempt {attempt} of {max_attempts or 'default'}",
        "endpoint_prefix": prefix,
        "response": response_json(status, code, headers),
        "attempt": attempt,
        "max_attempts": max_attempts,
        "expect": expect,
    }


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def current_time(self):
        return self.t

    def sleep(self, amount):
        raise AssertionError("the cases never block")


class Detector:
    """Stands in for ThrottlingErrorDetector: the step says."""

    def __init__(self):
        self.throttling = False

    def is_throttling_error(self, **kwargs):
        return self.throttling


def adaptive_case(name, steps):
    clock = FakeClock()
    cubic = throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time())
    token_bucket = bucket.TokenBucket(max_rate=1, clock=clock)
    detector = Detector()
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=cubic,
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=token_bucket,
        throttling_detector=detector,
        clock=clock,
    )
    out = []
    for t, event in steps:
        clock.t = t
        step = {"t": t, "event": event}
        if event == "acquire":
            try:
                token_bucket.acquire(block=False)
                step["acquired"] = True
            except CapacityNotAvailableError:
                step["acquired"] = False
        else:
            detector.throttling = event == "throttle"
            limiter.on_receiving_response()
        step["enabled"] = limiter._enabled
        step["fill_rate"] = token_bucket.max_rate
        step["max_capacity"] = token_bucket.max_capacity
        step["capacity"] = token_bucket.available_capacity
        step["measured_rate"] = limiter._rate_clocker.measured_rate
        params = cubic.get_params_snapshot()
        step["w_max"], step["k"], step["last_fail"] = params.w_max, params.k, params.last_fail
        out.append(step)
    return {"name": name, "steps": out}


def adaptive_cases():
    cases = []
    # Steady successes at 20/s, a burst of throttling, recovery.
    steps = [(i * 0.05, "success") for i in range(60)]
    steps += [(3.0 + i * 0.05, "throttle") for i in range(5)]
    t = 3.25
    for i in range(100):
        t += 0.05
        steps.append((round(t, 4), "acquire"))
        steps.append((round(t, 4), "success"))
    cases.append(adaptive_case("steady, throttled burst, recovery", steps))
    # Throttling from the first response; requests faster than the bucket fills.
    steps = []
    for i in range(120):
        t = round(i * 0.1, 4)
        steps.append((t, "acquire"))
        steps.append((t, "throttle" if i % 7 == 0 else "success"))
    cases.append(adaptive_case("throttled every seventh response", steps))
    # A seeded mix, fixed here once and for all by the case file.
    rng = random.Random(16)
    steps, t = [], 0.0
    for _ in range(250):
        t = round(t + rng.choice([0.0, 0.01, 0.05, 0.2, 0.7]), 4)
        steps.append((t, rng.choice(["acquire", "acquire", "success", "success", "throttle"])))
    cases.append(adaptive_case("seeded mix", steps))
    return cases


def main():
    cases = {"standard": [], "legacy": [], "adaptive": []}
    for service_id, prefix in SERVICES:
        for label, status, code, headers in RESPONSES:
            cases["standard"].append(standard_case(service_id, prefix, label, status, code, headers, 1, 3))
    for service_id, prefix in SERVICES[:2]:
        for label, status, code, headers in RESPONSES:
            for attempt, max_attempts in ((2, 3), (3, 3), (4, 6), (5, 10)):
                cases["standard"].append(
                    standard_case(service_id, prefix, label, status, code, headers, attempt, max_attempts)
                )
    retry_data = Loader().load_data("_retry")
    prefixes = sorted(retry_data["retry"]) + ["lambda"]
    prefixes.remove("__default__")
    for prefix in prefixes:
        for label, status, code, headers in RESPONSES:
            for attempt, max_attempts in ((1, None), (2, 2)):
                cases["legacy"].append(legacy_case(retry_data, prefix, label, status, code, headers, attempt, max_attempts))
        for label, status, code, headers in RESPONSES[:12] + RESPONSES[-2:]:
            for attempt in (4, 5, 9):
                cases["legacy"].append(legacy_case(retry_data, prefix, label, status, code, headers, attempt, None))
    cases["adaptive"] = adaptive_cases()
    path = os.path.join(HERE, "cases.json")
    # One case per line: small diffs when botocore changes.
    with open(path, "w") as f:
        f.write('{"source": "computed by botocore 1.44.5 (runtime/tests/retry/make_cases.py)",\n')
        f.write(f' "body": {json.dumps(BODY.decode())}')
        for kind, items in cases.items():
            f.write(f',\n "{kind}": [\n')
            f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in items))
            f.write("\n ]")
        f.write("\n}\n")
    print(path, {k: len(v) for k, v in cases.items()})


if __name__ == "__main__":
    main()
