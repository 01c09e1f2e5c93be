#!/usr/bin/env python3
"""Converts a spec in this project's format (spec/README.md) to an OpenAPI 3.0.3 document, so
progenitor can generate a client for the same API (see compare.sh).

One `POST /{Action}` operation per action, with `{Action}Request` and `{Action}Response` schemas
(the response with its required `RequestId`), and one schema per object. Constraints, `sensitive`,
errors, examples and rate limits have no place in this mapping and are left out; documentation
is kept, as it is in our generated code.

usage: to_openapi.py SPEC OUT
"""
import json
import re
import sys

if len(sys.argv) != 3:
    raise SystemExit("usage: to_openapi.py SPEC OUT")
SPEC, OUT = sys.argv[1], sys.argv[2]

SCALARS = {
    "string": {"type": "string"},
    "int64": {"type": "integer", "format": "int64"},
    "uint64": {"type": "integer", "format": "uint64", "minimum": 0},
    "float": {"type": "number", "format": "double"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
}


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def type_schema(t):
    if isinstance(t, str):
        return dict(SCALARS[t])
    if "list" in t:
        return {"type": "array", "items": type_schema(t["list"])}
    if "object" in t:
        return {"$ref": "#/components/schemas/" + t["object"]}
    raise ValueError(f"unknown type {t!r}")


def member_schema(m):
    s = type_schema(m["type"])
    doc = m.get("documentation")
    nullable = m.get("nullable", False)
    if "$ref" in s and (doc or nullable):
        # OpenAPI 3.0: siblings of $ref are ignored, so wrap it in allOf.
        s = {"allOf": [s]}
    if doc:
        s["description"] = doc
    if nullable:
        s["nullable"] = True
    return s


def object_schema(members, doc=None, extra=None):
    props = {name: member_schema(m) for name, m in members.items()}
    required = [name for name, m in members.items() if m.get("required")]
    if extra:
        for name, (schema, req) in extra.items():
            props[name] = schema
            if req:
                required.append(name)
    s = {"type": "object", "properties": props}
    if required:
        s["required"] = required
    if doc:
        s["description"] = doc
    return s


def main():
    spec = json.load(open(SPEC))
    service = spec.get("service", {})
    schemas = {}
    for name, obj in spec.get("objects", {}).items():
        schemas[name] = object_schema(obj["members"], obj.get("documentation"))

    paths = {}
    op_ids = set()
    for action, a in spec["actions"].items():
        req, resp = action + "Request", action + "Response"
        for n in (req, resp):
            if n in schemas:
                raise SystemExit(f"schema name clash: {n}")
        schemas[req] = object_schema(a.get("input", {}), f"Input of {action}.")
        schemas[resp] = object_schema(
            a.get("output", {}),
            f"Output of {action}.",
            extra={"RequestId": ({"type": "string", "description": "Unique ID of the request."}, True)},
        )
        op_id = snake(action)
        if op_id in op_ids:
            raise SystemExit(f"operationId clash: {op_id}")
        op_ids.add(op_id)
        paths["/" + action] = {
            "post": {
                "operationId": op_id,
                "description": a.get("documentation", ""),
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + req}}},
                },
                "responses": {
                    "200": {
                        "description": "successful operation",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + resp}}},
                    }
                },
            }
        }

    doc = {
        "openapi": "3.0.3",
        "info": {
            "title": service.get("title", "TEO"),
            "description": service.get("documentation", ""),
            "version": service.get("version", "0.0.0"),
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{OUT}: {len(paths)} operations, {len(schemas)} schemas", file=sys.stderr)


if __name__ == "__main__":
    main()
