"""A small JSON Schema validator for the keywords resources/exchange/schema-v1.json uses.

Implemented: type, const, enum, properties, required, additionalProperties (false or a schema),
propertyNames, maxProperties, items, minItems, maxItems, minimum, maximum, minLength, maxLength,
pattern, and local "$ref" ("#/$defs/NAME"). Any other keyword in the schema is an error of the
program (a test checks the schema uses no other), so the reader never silently skips a rule.
Written here rather than adding the `jsonschema` package: the subset is about a hundred lines, and
every message can name the place in Vietnamese for the person who receives the file.
"""
from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

from ..i18n import N_, _
from ..paths import resources_dir

SUPPORTED = {
    "$schema", "$id", "title", "description", "$defs", "$ref", "type", "const", "enum", "properties",
    "required", "additionalProperties", "propertyNames", "maxProperties", "items", "minItems", "maxItems",
    "minimum", "maximum", "minLength", "maxLength", "pattern",
}
MAX_PROBLEMS = 10


@functools.cache
def schema_v1() -> dict[str, Any]:
    with (resources_dir() / "exchange" / "schema-v1.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def _type_ok(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ValueError(f"unsupported type {name}")


TYPE_WORDS = {
    "null": "null", "boolean": "true/false", "integer": N_("a whole number"), "number": N_("a number"),
    "string": N_("text"), "array": N_("a list"), "object": N_("an object"),
}


def _where(path: str) -> str:
    return path or _("the whole file")


class _Validator:
    def __init__(self, root: dict[str, Any]):
        self.root = root
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(_("at {place}: {problem}").format(place=_where(path), problem=message))

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        return self.root["$defs"][ref.removeprefix("#/$defs/")]

    def check(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            return
        unknown = set(schema) - SUPPORTED
        if unknown:
            raise ValueError(f"unsupported schema keywords {sorted(unknown)}")
        if "$ref" in schema:
            self.check(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_type_ok(value, t) for t in types):
                self.fail(path, _("must be {kind}").format(kind=_(" or ").join(_(TYPE_WORDS[t]) for t in types)))
                return
        if "const" in schema and not _same(value, schema["const"]):
            self.fail(path, _("must be {value}").format(value=json.dumps(schema["const"], ensure_ascii=False)))
            return
        if "enum" in schema and not any(_same(value, v) for v in schema["enum"]):
            self.fail(path, _("must be one of {values}").format(
                values=", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])))
            return
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                self.fail(path, _("must not be empty") if schema["minLength"] == 1 else
                          _("is too short"))
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                self.fail(path, _("is too long (at most {n} characters)").format(n=schema["maxLength"]))
            if "pattern" in schema and not re.search(schema["pattern"], value):
                self.fail(path, _("is not written in the expected form"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self.fail(path, _("must be at least {n}").format(n=schema["minimum"]))
            if "maximum" in schema and value > schema["maximum"]:
                self.fail(path, _("must be at most {n}").format(n=schema["maximum"]))
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                self.fail(path, _("has too few items"))
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                self.fail(path, _("has too many items (at most {n})").format(n=schema["maxItems"]))
                return
            if "items" in schema:
                for i, item in enumerate(value):
                    self.check(item, schema["items"], f"{path}[{i}]")
        if isinstance(value, dict):
            self._check_object(value, schema, path)

    def _check_object(self, value: dict[str, Any], schema: dict[str, Any], path: str) -> None:
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            self.fail(path, _("has too many entries (at most {n})").format(n=schema["maxProperties"]))
            return
        for key in schema.get("required", []):
            if key not in value:
                self.fail(path, _("\"{key}\" is missing").format(key=key))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub = f"{path}.{key}" if path else key
            if "propertyNames" in schema:
                before = len(self.problems)
                self.check(key, schema["propertyNames"], sub)
                if len(self.problems) > before:
                    continue
            if key in props:
                self.check(item, props[key], sub)
            elif extra is False:
                self.fail(path, _("\"{key}\" is not expected here").format(key=key[:60]))
            elif isinstance(extra, dict):
                self.check(item, extra, sub)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, and 1 equals 1.0."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    return type(a) is type(b) and a == b if isinstance(a, str) or isinstance(b, str) else a == b


def validate(value: Any, definition: str, schema: dict[str, Any] | None = None) -> list[str]:
    """Problems of `value` against `#/$defs/<definition>` of the schema (empty when it is valid)."""
    root = schema or schema_v1()
    v = _Validator(root)
    v.check(value, root["$defs"][definition], "")
    return v.problems[:MAX_PROBLEMS]


def used_keywords(schema: Any) -> set[str]:
    """Every keyword a schema uses (for the test that the validator knows them all)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, sub in schema.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for s in sub.values():
                    found |= used_keywords(s)
            elif key in ("items", "additionalProperties", "propertyNames") and isinstance(sub, dict):
                found |= used_keywords(sub)
    return found
