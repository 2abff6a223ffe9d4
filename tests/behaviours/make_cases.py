"""Writes tests/behaviours/{input,output}/*.json: cases for botocore
behaviours outside its own protocol suites, with the expected request or
parsed result computed by botocore itself.

Run with botocore 1.44.5 installed (the version models/ is vendored from):

    python3 -m venv /tmp/bc && /tmp/bc/bin/pip install botocore==1.44.5
    /tmp/bc/bin/python tests/behaviours/make_cases.py

The files use the layout of botocore's protocol suites (tests/protocol/), so
the same harness runs them (`cargo test -p botogen-tests --test
botocore_behaviours`). A case whose `expect` is given here instead of being
computed states a documented botogen deviation; its description says why.
"""

import base64
import calendar
import datetime
import json
import os

import botocore
from botocore.awsrequest import prepare_request_dict
from botocore.compat import HTTPHeaders
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

HERE = os.path.dirname(os.path.abspath(__file__))

META = {
    "json": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "Behaviours"},
    "rest-json": {"protocol": "rest-json"},
    "rest-xml": {"protocol": "rest-xml"},
    "query": {"protocol": "query", "apiVersion": "2020-01-01"},
    "ec2": {"protocol": "ec2", "apiVersion": "2020-01-01"},
    "smithy-rpc-v2-cbor": {"protocol": "smithy-rpc-v2-cbor", "targetPrefix": "Behaviours"},
}

COMMON_SHAPES = {
    "String": {"type": "string"},
    "Integer": {"type": "integer"},
    "Blob": {"type": "blob"},
    "JsonText": {"type": "string"},
    "StringList": {"type": "list", "member": {"shape": "String"}},
    "StringMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
    # A list shape carrying its own locationName, as some older models do.
    "NamedItemList": {
        "type": "list",
        "member": {"shape": "String", "locationName": "item"},
        "locationName": "NamedItem",
    },
    "Choice": {
        "type": "structure",
        "union": True,
        "members": {"Text": {"shape": "String"}, "Number": {"shape": "Integer"}},
    },
}


def op(name, input=None, output=None, method="POST", uri=None):
    given = {"name": name, "http": {"method": method, "requestUri": uri or f"/{name}"}}
    if input:
        given["input"] = input
    if output:
        given["output"] = {"shape": output}
    return given


def suite(protocol, description, shapes, cases):
    metadata = dict(META[protocol])
    metadata.setdefault("apiVersion", "2020-01-01")
    metadata["protocols"] = [protocol]
    return {
        "description": description,
        "metadata": metadata,
        "shapes": {**COMMON_SHAPES, **shapes},
        "cases": cases,
    }


def service_model(s, given):
    ops = {given["name"]: given}
    meta = dict(s["metadata"])
    meta.setdefault("endpointPrefix", "behaviours")
    meta.setdefault("serviceId", "Behaviours")
    meta.setdefault("signatureVersion", "v4")
    return ServiceModel({"metadata": meta, "operations": ops, "shapes": s["shapes"]})


def expected_request(s, case):
    protocol = s["metadata"]["protocol"]
    model = service_model(s, case["given"])
    operation = model.operation_model(case["given"]["name"])
    request = create_serializer(protocol, include_validation=False).serialize_to_request(
        case["params"], operation
    )
    prepare_request_dict(request, endpoint_url="https://behaviours.example.com")
    url = request["url"].split("example.com", 1)[1]
    body = request["body"]
    if isinstance(body, dict):
        # query/ec2: botocore keeps the form as a dict until sending.
        from urllib.parse import urlencode

        body = urlencode(body, doseq=True)
    if isinstance(body, bytes):
        body = (
            base64.b64encode(body).decode()
            if protocol == "smithy-rpc-v2-cbor"
            else body.decode()
        )
    headers = {k: v for k, v in request["headers"].items()}
    serialized = {"method": request["method"], "uri": url, "body": body or "", "headers": headers}
    return serialized


def to_result(value):
    if isinstance(value, dict):
        return {k: to_result(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [to_result(v) for v in value]
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, datetime.datetime):
        return calendar.timegm(value.utctimetuple())
    return value


def expected_result(s, case):
    protocol = s["metadata"]["protocol"]
    model = service_model(s, case["given"])
    operation = model.operation_model(case["given"]["name"])
    response = dict(case["response"])
    body = response.get("body", "")
    raw = base64.b64decode(body) if protocol == "smithy-rpc-v2-cbor" else body.encode()
    headers = HTTPHeaders()
    for k, v in response.get("headers", {}).items():
        headers[k] = v
    parsed = create_parser(protocol).parse(
        {"status_code": response["status_code"], "headers": headers, "body": raw},
        operation.output_shape,
    )
    return to_result(parsed)


def expected_error(s, case):
    """What botocore reports for an error response: the code and message of
    the generic parse, then the members of the error shape the code names,
    looked up service-wide as botocore's endpoint does
    (`ServiceModel.shape_for_error_code`), whether or not the operation
    lists it."""
    protocol = s["metadata"]["protocol"]
    model = service_model(s, case["given"])
    operation = model.operation_model(case["given"]["name"])
    response = dict(case["response"])
    body = response.get("body", "")
    raw = base64.b64decode(body) if protocol == "smithy-rpc-v2-cbor" else body.encode()
    headers = HTTPHeaders()
    for k, v in response.get("headers", {}).items():
        headers[k] = v
    http = {"status_code": response["status_code"], "headers": headers, "body": raw}
    parser = create_parser(protocol)
    parsed = parser.parse(http, operation.output_shape)
    code = parsed["Error"]["Code"]
    case["errorCode"] = code
    case["errorMessage"] = parsed["Error"].get("Message", "")
    shape = model.shape_for_error_code(code)
    if shape is None:
        # Not an error shape of the service: botocore keeps code and message only.
        case["errorShape"] = None
        return
    case["errorShape"] = shape.name
    modeled = parser.parse(http, shape)
    case["error"] = {
        k: to_result(v) for k, v in modeled.items() if k not in ("Error", "ResponseMetadata")
    }


def fill(s, direction):
    for case in s["cases"]:
        extra = case.pop("extra", {})
        if direction == "input":
            if "expect" in case:
                case["serialized"] = case.pop("expect")
            else:
                case["serialized"] = expected_request(s, case)
            for key, value in extra.items():
                if isinstance(value, dict):
                    case["serialized"].setdefault(key, {}).update(value)
                else:
                    case["serialized"][key] = value
        elif case.pop("error_case", False):
            expected_error(s, case)
        else:
            case["result"] = case.pop("expect") if "expect" in case else expected_result(s, case)
    return s


# ---------------------------------------------------------------- input


def rest_input_suite(protocol):
    shapes = {
        "HeaderInput": {
            "type": "structure",
            "members": {
                "Attrs": {
                    "shape": "JsonText",
                    "location": "header",
                    "locationName": "X-Attrs",
                    "jsonvalue": True,
                },
                "Tags": {"shape": "StringList", "location": "header", "locationName": "X-Tags"},
                "Meta": {"shape": "StringMap", "location": "headers"},
            },
        },
        "BlobInput": {
            "type": "structure",
            "members": {"Body": {"shape": "Blob"}},
            "payload": "Body",
        },
        "Inner": {
            "type": "structure",
            "members": {"Name": {"shape": "String"}},
        },
        "PayloadByRefInput": {
            "type": "structure",
            "members": {
                "Id": {"shape": "String", "location": "header", "locationName": "X-Id"},
                "Doc": {"shape": "Inner"},
            },
        },
    }
    if protocol == "rest-xml":
        shapes["Inner"]["locationName"] = "Inner"
    cases = [
        {
            "id": "JsonValueHeaderIsBase64Json",
            "description": "A jsonvalue header carries the value's compact JSON, base64-encoded",
            "given": op("PutHeaders", {"shape": "HeaderInput"}),
            "params": {"Attrs": {"b": [1, 2], "a": "x y"}},
        },
        {
            "id": "EmptyHeaderListSendsNoHeader",
            "description": "An empty list bound to a header sends no header",
            "given": op("PutHeaders", {"shape": "HeaderInput"}),
            "params": {"Tags": []},
            "extra": {"forbidHeaders": ["X-Tags"]},
        },
        {
            "id": "HeaderMapWithoutLocationNameUsesMemberName",
            "description": "A headers map without locationName prefixes keys with the member name, as botocore writes it",
            "given": op("PutHeaders", {"shape": "HeaderInput"}),
            "params": {"Meta": {"-a": "1"}},
        },
        {
            "id": "BlobPayloadIsOctetStream",
            "description": "A blob payload without a modeled Content-Type is application/octet-stream, "
            "as Smithy's protocol tests and the official SDKs send it (botocore sends none)",
            "given": op("PutBlob", {"shape": "BlobInput"}),
            "params": {"Body": "raw bytes"},
            "expect": {
                "method": "POST",
                "uri": "/PutBlob",
                "body": "raw bytes",
                "headers": {"Content-Type": "application/octet-stream"},
            },
        },
        {
            "id": "PayloadOnTheInputReference",
            "description": "`payload` on the operation's input reference names the payload member",
            "given": op("PutByRef", {"shape": "PayloadByRefInput", "payload": "Doc"}),
            "params": {"Id": "7", "Doc": {"Name": "n"}},
        },
    ]
    return suite(protocol, f"{protocol} request behaviours", shapes, cases)


def body_jsonvalue_input_suite(protocol):
    shapes = {
        "PolicyInput": {
            "type": "structure",
            "members": {"Policy": {"shape": "JsonText", "jsonvalue": True}},
        },
    }
    cases = [
        {
            "id": "JsonValueBodyMemberIsJsonText",
            "description": "A jsonvalue body member is sent as the JSON text of the value",
            "given": op("PutPolicy", {"shape": "PolicyInput"}),
            "params": {"Policy": '{"Version":"2012-10-17","Statement":[]}'},
        }
    ]
    return suite(protocol, f"{protocol} jsonvalue body", shapes, cases)


def query_input_suite(protocol):
    shapes = {
        "ListInput": {
            "type": "structure",
            "members": {"Items": {"shape": "NamedItemList"}},
        },
        "MapInput": {
            "type": "structure",
            "members": {"Attributes": {"shape": "StringMap"}},
        },
    }
    action = "ListThings"
    # query/ec2 bodies list the Action and Version first.
    cases = [
        {
            "id": "ListShapeLocationNameNamesTheMember",
            "description": "A list shape's own locationName names a member that has none",
            "given": op(action, {"shape": "ListInput"}),
            "params": {"Items": ["a", "b"]},
        },
    ]
    if protocol == "query":
        cases.append(
            {
                "id": "MapEntriesAreSortedByKey",
                "description": "botogen sorts map entries by key (botocore keeps insertion order); "
                "AWS reads the entries in any order and a sorted body is reproducible. "
                "Documented in ARCHITECTURE.md",
                "given": op("SetAttributes", {"shape": "MapInput"}),
                "params": {"Attributes": {"b": "2", "a": "1"}},
                "expect": {
                    "method": "POST",
                    "uri": "/",
                    "body": "Action=SetAttributes&Version=2020-01-01"
                    "&Attributes.entry.1.key=a&Attributes.entry.1.value=1"
                    "&Attributes.entry.2.key=b&Attributes.entry.2.value=2",
                    "headers": {
                        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"
                    },
                },
            }
        )
    return suite(protocol, f"{protocol} request behaviours", shapes, cases)


# ---------------------------------------------------------------- output


def rest_output_suite(protocol):
    shapes = {
        "HeadersOutput": {
            "type": "structure",
            "members": {
                "All": {"shape": "StringMap", "location": "headers"},
                "Attrs": {
                    "shape": "JsonText",
                    "location": "header",
                    "locationName": "X-Attrs",
                    "jsonvalue": True,
                },
            },
        },
        "UnionOutput": {"type": "structure", "members": {"Choice": {"shape": "Choice"}}},
    }
    attrs = base64.b64encode(json.dumps({"b": [1, 2], "a": "x"}).encode()).decode()
    union_body = (
        '{"Choice": {"Later": {"x": 1}}}'
        if protocol == "rest-json"
        else "<UnionOutput><Choice><Later><x>1</x></Later></Choice></UnionOutput>"
    )
    cases = [
        {
            "id": "HeaderMapWithoutLocationNameTakesEveryHeader",
            "description": "A headers map without locationName captures every response header",
            "given": op("GetHeaders", output="HeadersOutput"),
            "response": {
                "status_code": 200,
                "headers": {"x-a": "1", "X-Attrs": attrs, "Content-Type": "text/plain"},
                "body": "",
            },
        },
        {
            "id": "UnknownUnionMemberKeepsItsName",
            "description": "A union member this model does not know keeps its name (SDK_UNKNOWN_MEMBER)",
            "given": op("GetUnion", output="UnionOutput"),
            "response": {"status_code": 200, "headers": {}, "body": union_body},
        },
    ]
    return suite(protocol, f"{protocol} response behaviours", shapes, cases)


def body_output_suite(protocol):
    shapes = {
        "UnionOutput": {"type": "structure", "members": {"Choice": {"shape": "Choice"}}},
        "PolicyOutput": {
            "type": "structure",
            "members": {"Policy": {"shape": "JsonText", "jsonvalue": True}},
        },
    }
    if protocol == "json":
        union_body = '{"Choice": {"Later": {"x": 1}}}'
    elif protocol == "smithy-rpc-v2-cbor":
        # {"Choice": {"Later": {"x": 1}}}
        union_body = base64.b64encode(
            bytes([0xA1, 0x66]) + b"Choice" + bytes([0xA1, 0x65]) + b"Later"
            + bytes([0xA1, 0x61]) + b"x" + bytes([0x01])
        ).decode()
    else:
        wrapper = "GetUnionResult"
        inner = "<Choice><Later><x>1</x></Later></Choice>"
        union_body = (
            f"<GetUnionResponse><{wrapper}>{inner}</{wrapper}></GetUnionResponse>"
            if protocol == "query"
            else f"<GetUnionResponse>{inner}</GetUnionResponse>"
        )
    given = op("GetUnion", output="UnionOutput")
    if protocol == "query":
        given["output"]["resultWrapper"] = "GetUnionResult"
    headers = {"smithy-protocol": "rpc-v2-cbor"} if protocol == "smithy-rpc-v2-cbor" else {}
    unknown = {
        "id": "UnknownUnionMemberKeepsItsName",
        "description": "A union member this model does not know keeps its name (SDK_UNKNOWN_MEMBER)",
        "given": given,
        "response": {"status_code": 200, "headers": headers, "body": union_body},
    }
    if protocol == "smithy-rpc-v2-cbor":
        unknown["description"] += (
            "; botocore's CBOR parser drops it, botogen keeps it as in every other protocol"
        )
        unknown["expect"] = {"Choice": {"SDK_UNKNOWN_MEMBER": {"name": "Later"}}}
    cases = [unknown]
    if protocol == "json":
        cases.append(
            {
                "id": "JsonValueBodyMemberIsDecoded",
                "description": "A jsonvalue body member is decoded from its JSON text",
                "given": op("GetPolicy", output="PolicyOutput"),
                "response": {
                    "status_code": 200,
                    "headers": {},
                    "body": '{"Policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}"}',
                },
                # botocore hands back the text; botogen the value it encodes.
                "expect": {"Policy": {"Version": "2012-10-17", "Statement": []}},
            }
        )
    if protocol == "query":
        shapes["ListOutput"] = {
            "type": "structure",
            "members": {"Items": {"shape": "NamedItemList"}},
        }
        lgiven = op("ListThings", output="ListOutput")
        lgiven["output"]["resultWrapper"] = "ListThingsResult"
        cases.append(
            {
                "id": "ListShapeLocationNameNamesTheMember",
                "description": "A list shape's own locationName names a member that has none",
                "given": lgiven,
                "response": {
                    "status_code": 200,
                    "headers": {},
                    "body": "<ListThingsResponse><ListThingsResult><NamedItem><item>a</item>"
                    "<item>b</item></NamedItem></ListThingsResult></ListThingsResponse>",
                },
            }
        )
    return suite(protocol, f"{protocol} response behaviours", shapes, cases)


def error_suite(protocol):
    """Error codes are looked up service-wide: a code naming an error shape
    the operation does not list is still parsed as that shape; a code that
    names no shape keeps its code and message."""
    missing = {
        "type": "structure",
        "members": {"Message": {"shape": "String"}, "Resource": {"shape": "String"}},
        "exception": True,
    }
    if protocol in ("query", "ec2", "rest-xml"):
        # An awsQueryError-style code that differs from the shape name.
        missing["error"] = {"code": "Thing.Missing", "httpStatusCode": 404, "senderFault": True}
    code = missing.get("error", {}).get("code", "Missing")
    shapes = {
        "Missing": missing,
        "Busy": {
            "type": "structure",
            "members": {"Message": {"shape": "String"}},
            "exception": True,
        },
        "ThingOutput": {"type": "structure", "members": {"Name": {"shape": "String"}}},
    }
    get_thing = op("GetThing", output="ThingOutput")
    get_thing["errors"] = [{"shape": "Missing"}]
    list_things = op("ListThings", output="ThingOutput")
    list_things["errors"] = [{"shape": "Busy"}]
    if protocol == "query":
        get_thing["output"]["resultWrapper"] = "GetThingResult"
        list_things["output"]["resultWrapper"] = "ListThingsResult"

    def response(code, message, resource=None):
        headers = {"x-amzn-requestid": "req-1"}
        if protocol in ("json", "smithy-rpc-v2-cbor"):
            doc = {"__type": f"com.test#{code}", "Message": message}
            if resource:
                doc["Resource"] = resource
            if protocol == "json":
                body = json.dumps(doc)
            else:
                headers["smithy-protocol"] = "rpc-v2-cbor"
                body = base64.b64encode(cbor_map(doc)).decode()
        elif protocol == "rest-json":
            headers["X-Amzn-Errortype"] = f"{code}:http://internal.example.com/"
            doc = {"Message": message}
            if resource:
                doc["Resource"] = resource
            body = json.dumps(doc)
        else:
            extra = f"<Resource>{resource}</Resource>" if resource else ""
            error = f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>{extra}</Error>"
            if protocol == "ec2":
                body = f"<Response><Errors>{error}</Errors><RequestID>req-1</RequestID></Response>"
            else:
                body = f"<ErrorResponse>{error}<RequestId>req-1</RequestId></ErrorResponse>"
        return {"status_code": 404, "headers": headers, "body": body}

    cases = [
        {
            "id": "ErrorTheOperationListsIsParsed",
            "description": "An error code the operation lists is parsed as its shape",
            "given": get_thing,
            "response": response(code, "no such thing", "r1"),
            "error_case": True,
        },
        {
            "id": "ErrorTheOperationDoesNotListIsFoundServiceWide",
            "description": "An error code naming a shape of the service that the operation does not "
            "list is parsed as that shape (botocore looks codes up service-wide)",
            "given": list_things,
            "response": response(code, "no such thing", "r2"),
            "error_case": True,
        },
        {
            "id": "UnknownErrorCodeKeepsCodeAndMessage",
            "description": "An error code that names no shape of the service is unmodeled, "
            "with its code and message",
            "given": list_things,
            "response": response("NoSuchThing", "what thing?"),
            "error_case": True,
        },
    ]
    return suite(protocol, f"{protocol} error lookup", shapes, cases)


def cbor_map(doc):
    """A CBOR map of text keys to text values (all this suite needs)."""

    def text(s):
        b = s.encode()
        assert len(b) < 24
        return bytes([0x60 | len(b)]) + b

    out = bytes([0xA0 | len(doc)])
    for k, v in doc.items():
        out += text(k) + text(v)
    return out


def main():
    assert botocore.__version__ == "1.44.5", botocore.__version__
    inputs = {
        "rest-json": [rest_input_suite("rest-json"), body_jsonvalue_input_suite("rest-json")],
        "rest-xml": [rest_input_suite("rest-xml")],
        "json": [body_jsonvalue_input_suite("json")],
        "query": [query_input_suite("query")],
        "ec2": [query_input_suite("ec2")],
    }
    outputs = {
        "rest-json": [rest_output_suite("rest-json"), error_suite("rest-json")],
        "rest-xml": [rest_output_suite("rest-xml"), error_suite("rest-xml")],
        "json": [body_output_suite("json"), error_suite("json")],
        "query": [body_output_suite("query"), error_suite("query")],
        "ec2": [body_output_suite("ec2"), error_suite("ec2")],
        "smithy-rpc-v2-cbor": [
            body_output_suite("smithy-rpc-v2-cbor"),
            error_suite("smithy-rpc-v2-cbor"),
        ],
    }
    for direction, table in (("input", inputs), ("output", outputs)):
        os.makedirs(os.path.join(HERE, direction), exist_ok=True)
        for protocol, suites in table.items():
            suites = [fill(s, direction) for s in suites]
            path = os.path.join(HERE, direction, f"{protocol}.json")
            with open(path, "w") as f:
                json.dump(suites, f, indent=2)
                f.write("\n")
            print(path)


if __name__ == "__main__":
    main()
