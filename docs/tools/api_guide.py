#!/usr/bin/env python3
"""Generate docs/api.md, a readable API guide, from docs/openapi.yaml.

    python3 docs/tools/api_guide.py           # (re)write docs/api.md
    python3 docs/tools/api_guide.py --check   # exit 1 if docs/api.md is stale

Only the standard library and PyYAML. The output depends on nothing but the
spec: sections and operations follow the YAML document order, so the same
spec always gives the same bytes.
"""

import argparse
import json
import re
import sys
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("api_guide.py needs PyYAML: python3 -m pip install pyyaml")

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "openapi.yaml"
OUT = ROOT / "docs" / "api.md"
STALE = "docs/api.md is out of date; run python3 docs/tools/api_guide.py"

METHODS = ("get", "put", "post", "patch", "delete", "options", "head", "trace")
JSON_TYPES = ("application/json", "application/problem+json")
SCHEMA_PREFIX = "#/components/schemas/"


class SpecLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates and timestamps as the strings written."""


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --------------------------------------------------------------------- markdown helpers

def code(value):
    """An inline code span for any scalar (JSON spelling for non-strings)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def one_line(text):
    """Collapse a description into one line (for table cells and lists)."""
    return " ".join(str(text).split())


def cell(text):
    """A table cell: one line, pipes escaped."""
    return one_line(text).replace("|", "\\|") if text else ""


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in rows:
        out.append("| " + " | ".join(cell(c) for c in row) + " |")
    return out


def shift_headings(text, top_level):
    """Markdown text with its headings moved so the highest becomes top_level."""
    lines = text.strip("\n").split("\n")
    levels, fenced = [], False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6}) ", line)):
            levels.append(len(m.group(1)))
    if not levels:
        return lines
    shift = top_level - min(levels)
    out, fenced = [], False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6}) ", line)):
            line = "#" * min(6, max(1, len(m.group(1)) + shift)) + line[len(m.group(1)):]
        out.append(line.rstrip())
    return out


def github_slug(heading):
    """The anchor GitHub gives a heading (github-slugger, close enough)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links -> their text
    text = text.replace("`", "").replace("*", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


# --------------------------------------------------------------------- the generator

class Guide:
    def __init__(self, spec):
        self.spec = spec
        self.components = spec.get("components") or {}
        self.schemas = self.components.get("schemas") or {}
        self.lines = []
        self.anchor_keys = {}  # line index -> link key
        self.warnings = []
        self.operations = self._operations()
        self.problem_schema = self._problem_schema()
        self.problem_codes = self._problem_codes()
        self.universal_headers = self._universal_headers()

    # ---------------------------------------------------------------- spec access

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def resolve(self, ref):
        """The object a local $ref points at, or None."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            self.warn(f"$ref {ref!r} is not a local reference; left unresolved")
            return None
        node = self.spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                self.warn(f"$ref {ref!r} does not resolve")
                return None
        return node

    def deref(self, obj):
        """A Reference Object resolved; its description/summary siblings win (OpenAPI 3.1)."""
        seen = set()
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            if ref in seen:
                self.warn(f"$ref cycle through {ref!r}")
                return {}
            seen.add(ref)
            target = self.resolve(ref)
            if not isinstance(target, dict):
                return {k: v for k, v in obj.items() if k != "$ref"}
            merged = dict(target)
            for key in ("description", "summary"):
                if key in obj:
                    merged[key] = obj[key]
            obj = merged
        return obj if isinstance(obj, dict) else {}

    def _operations(self):
        ops = []
        for path, item in (self.spec.get("paths") or {}).items():
            item = self.deref(item)
            for method in item:
                if method in METHODS and isinstance(item[method], dict):
                    ops.append({"method": method, "path": str(path), "op": item[method],
                                "item": item, "key": f"op:{method} {path}"})
        return ops

    def params(self, entry):
        """Path-item parameters, then the operation's (an operation's wins on name+in)."""
        merged = {}
        for raw in list(entry["item"].get("parameters") or []) + list(entry["op"].get("parameters") or []):
            param = self.deref(raw)
            merged[(param.get("name"), param.get("in"))] = param
        return list(merged.values())

    def responses(self, op):
        """[(status, resolved response, component name if a plain $ref, overridden?)]"""
        out = []
        for status, raw in (op.get("responses") or {}).items():
            name = None
            overridden = False
            if isinstance(raw, dict) and "$ref" in raw:
                ref = raw["$ref"]
                if ref.startswith("#/components/responses/"):
                    name = ref.rsplit("/", 1)[1]
                overridden = "description" in raw
            out.append((str(status), self.deref(raw), name, overridden))
        return out

    def _problem_schema(self):
        """The component schema answered as application/problem+json, if any."""
        for entry in self.operations:
            for _, resp, _, _ in self.responses(entry["op"]):
                media = (resp.get("content") or {}).get("application/problem+json")
                if media and "$ref" in (media.get("schema") or {}):
                    ref = media["schema"]["$ref"]
                    if ref.startswith(SCHEMA_PREFIX) and ref[len(SCHEMA_PREFIX):] in self.schemas:
                        return ref[len(SCHEMA_PREFIX):]
        return None

    def _problem_codes(self):
        if not self.problem_schema:
            return []
        props = self.schemas[self.problem_schema].get("properties") or {}
        codes = self.deref(props.get("code") or {}).get("enum") or []
        return [c for c in codes if isinstance(c, str)]

    def _universal_headers(self):
        """Response headers every response of every operation carries."""
        common = None
        for entry in self.operations:
            for _, resp, _, _ in self.responses(entry["op"]):
                names = set(resp.get("headers") or {})
                common = names if common is None else common & names
        return common or set()

    def codes_in(self, text):
        return [c for c in self.problem_codes if f"`{c}`" in (text or "")]

    # ---------------------------------------------------------------- schema rendering

    def schema_link(self, name):
        return f"[{name}](\x00schema:{name}\x00)"

    def ref_text(self, ref):
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX) and ref[len(SCHEMA_PREFIX):] in self.schemas:
            return self.schema_link(ref[len(SCHEMA_PREFIX):])
        target = self.resolve(ref)
        if target is None:
            return code(ref) + " (unresolved)"
        return code(str(ref).rsplit("/", 1)[-1])

    @staticmethod
    def is_null(schema):
        return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("type") == ["null"])

    def type_of(self, schema):
        """A short human type: `string`, `array of [Partner](#partner)`, `..., nullable`."""
        if schema is None or schema is True or schema == {}:
            return "any"
        if schema is False:
            return "nothing"
        if not isinstance(schema, dict):
            return "any"
        nullable = bool(schema.get("nullable"))
        parts = []
        if "$ref" in schema:
            parts.append(self.ref_text(schema["$ref"]))
        elif "oneOf" in schema or "anyOf" in schema:
            variants = schema.get("oneOf") or schema.get("anyOf") or []
            for variant in variants:
                if self.is_null(variant):
                    nullable = True
                    continue
                text = self.type_of(variant)
                nullable = nullable or text.endswith(", nullable")
                text = text[: -len(", nullable")] if text.endswith(", nullable") else text
                if text not in parts:
                    parts.append(text)
        elif "allOf" in schema:
            members = [self.type_of(m) for m in schema["allOf"]]
            parts.append(members[0] if len(members) == 1 else "all of " + ", ".join(members))
        else:
            types = schema.get("type")
            types = list(types) if isinstance(types, list) else [types] if types else []
            if "null" in types:
                nullable = True
                types = [t for t in types if t != "null"]
            if not types:
                if "properties" in schema:
                    types = ["object"]
                elif "items" in schema:
                    types = ["array"]
                elif "enum" in schema or "const" in schema:
                    values = schema.get("enum", [schema.get("const")])
                    kinds = []
                    for v in values:
                        kind = "null" if v is None else "boolean" if isinstance(v, bool) else \
                            "string" if isinstance(v, str) else "number" if isinstance(v, (int, float)) else "any"
                        if kind == "null":
                            nullable = True
                        elif kind not in kinds:
                            kinds.append(kind)
                    types = kinds
            for t in types:
                if t == "array":
                    items = self.type_of(schema.get("items"))
                    parts.append(f"array of ({items})" if " or " in items or ", " in items else f"array of {items}")
                elif t == "object" and isinstance(schema.get("additionalProperties"), dict):
                    parts.append(f"map of {self.type_of(schema['additionalProperties'])}")
                else:
                    parts.append(str(t))
            if not parts and not nullable:
                parts.append("any")
        if not parts:
            return "null"
        text = " or ".join(parts)
        return text + ", nullable" if nullable else text

    def constraints(self, schema, with_variants=True):
        """Constraint phrases of a schema itself (a $ref target is linked, not repeated)."""
        if not isinstance(schema, dict):
            return []
        out = []
        if "$ref" in schema:
            # An enum is worth repeating where it is used; other targets are only linked.
            target = self.resolve(schema["$ref"])
            if isinstance(target, dict) and "enum" in target and not target.get("properties"):
                out.append("one of " + ", ".join(code(v) for v in target["enum"] if v is not None))
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            out.append("one of " + ", ".join(code(v) for v in values))
        if "const" in schema:
            out.append("always " + code(schema["const"]))
        if "format" in schema:
            out.append("format " + code(schema["format"]))
        if "pattern" in schema:
            out.append("pattern " + code(schema["pattern"]))
        lo, hi = schema.get("minLength"), schema.get("maxLength")
        if lo is not None and hi is not None:
            out.append(f"length {lo}–{hi}")
        elif lo is not None:
            out.append(f"length ≥ {lo}")
        elif hi is not None:
            out.append(f"length ≤ {hi}")
        for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
            value = schema.get(key)
            if isinstance(value, bool):  # OpenAPI 3.0 boolean form
                continue
            if value is not None:
                if key == "minimum" and schema.get("exclusiveMinimum") is True:
                    sign = ">"
                if key == "maximum" and schema.get("exclusiveMaximum") is True:
                    sign = "<"
                out.append(f"{sign} {json.dumps(value)}")
        if schema.get("multipleOf") is not None:
            out.append(f"multiple of {json.dumps(schema['multipleOf'])}")
        if schema.get("minItems") is not None:
            out.append(f"at least {schema['minItems']} item{'s' if schema['minItems'] != 1 else ''}")
        if schema.get("maxItems") is not None:
            out.append(f"at most {schema['maxItems']} item{'s' if schema['maxItems'] != 1 else ''}")
        if schema.get("uniqueItems"):
            out.append("unique items")
        if schema.get("maxProperties") == 0:
            out.append("no fields")
        else:
            if schema.get("minProperties") is not None:
                n = schema["minProperties"]
                out.append(f"at least {n} field{'s' if n != 1 else ''}")
            if schema.get("maxProperties") is not None:
                n = schema["maxProperties"]
                out.append(f"at most {n} field{'s' if n != 1 else ''}")
        if "default" in schema:
            out.append("default " + code(schema["default"]))
        if schema.get("readOnly"):
            out.append("read-only")
        if schema.get("writeOnly"):
            out.append("write-only")
        if schema.get("deprecated"):
            out.append("deprecated")
        examples = schema.get("examples")
        if examples is None and "example" in schema:
            examples = [schema["example"]]
        if isinstance(examples, list) and examples and all(not isinstance(e, (dict, list)) for e in examples):
            out.append("e.g. " + ", ".join(code(e) for e in examples))
        items = schema.get("items")
        if isinstance(items, dict) and "$ref" not in items and "properties" not in items:
            inner = self.constraints(items)
            if inner:
                out.append("items: " + ", ".join(inner))
        if with_variants:
            variants = [v for v in (schema.get("oneOf") or schema.get("anyOf") or [])
                        if isinstance(v, dict) and not self.is_null(v)]
            described = [(v, self.constraints(v)) for v in variants]
            described = [(v, c) for v, c in described if c]
            if len(variants) == 1 and described:
                out.extend(described[0][1])
            else:
                for v, c in described:
                    out.append(f"{self.type_of(v)}: " + ", ".join(c))
        return out

    def collect(self, schema, seen=None):
        """(properties, required, closed) of an object schema, allOf members merged."""
        seen = set() if seen is None else seen
        props, required, closed = {}, set(), False
        if not isinstance(schema, dict):
            return props, required, closed
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen:
                return props, required, closed
            seen = seen | {ref}
            target = self.resolve(ref)
            return self.collect(target, seen) if isinstance(target, dict) else (props, required, closed)
        for member in schema.get("allOf") or []:
            p, r, _ = self.collect(member, seen)
            props.update(p)
            required |= r
        props.update(schema.get("properties") or {})
        required |= set(schema.get("required") or [])
        closed = schema.get("additionalProperties") is False or schema.get("unevaluatedProperties") is False
        return props, required, closed

    def inline_object(self, schema):
        """(object schema, path suffix) when a field holds an inline object worth one level more."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return None
        if schema.get("properties"):
            return schema, ""
        items = schema.get("items")
        if isinstance(items, dict) and "$ref" not in items and items.get("properties"):
            return items, "[]"
        variants = [v for v in (schema.get("oneOf") or schema.get("anyOf") or []) if not self.is_null(v)]
        if len(variants) == 1:
            return self.inline_object(variants[0])
        return None

    def field_rows(self, schema, prefix="", depth=0):
        props, required, _ = self.collect(schema)
        rows = []
        for name, prop in props.items():
            prop = prop if isinstance(prop, dict) else {}
            rows.append([code(prefix + str(name)), self.type_of(prop), "yes" if name in required else "no",
                         ", ".join(self.constraints(prop)), prop.get("description", "")])
            nested = self.inline_object(prop) if depth == 0 else None
            if nested:
                inner, suffix = nested
                rows.extend(self.field_rows(inner, f"{prefix}{name}{suffix}.", depth + 1))
        return rows

    def field_table(self, schema):
        rows = self.field_rows(schema)
        if not rows:
            return []
        out = table(["Field", "Type", "Required", "Constraints", "Description"], rows)
        notes = []
        if self.collect(schema)[2]:
            notes.append("Other fields are refused.")
        target = self.deref(schema) if isinstance(schema, dict) else {}
        whole = self.constraints({k: v for k, v in target.items() if k != "$ref"}, with_variants=False)
        if whole:
            notes.append("The object as a whole: " + ", ".join(whole) + ".")
        return out + (["", " ".join(notes)] if notes else [])

    # ---------------------------------------------------------------- output helpers

    def emit(self, *lines):
        self.lines.extend(lines)

    def heading(self, level, text, key=None):
        if self.lines and self.lines[-1] != "":
            self.emit("")
        if key:
            self.anchor_keys[len(self.lines)] = key
        self.emit("#" * level + " " + text, "")

    def para(self, *lines):
        if self.lines and self.lines[-1] != "":
            self.emit("")
        self.emit(*lines)
        self.emit("")

    def op_title(self, entry):
        return f"`{entry['method'].upper()} {entry['path']}`"

    def op_link(self, entry):
        return f"[{self.op_title(entry)}](\x00{entry['key']}\x00)"

    def security_text(self, op):
        requirements = op.get("security", self.spec.get("security"))
        if not requirements:
            return "no authentication"
        schemes = self.components.get("securitySchemes") or {}
        alternatives = []
        for requirement in requirements:
            if not requirement:
                alternatives.append("no authentication")
                continue
            names = []
            for name, scopes in requirement.items():
                scheme = self.deref(schemes.get(name) or {})
                if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                    text = "bearer token"
                elif scheme.get("type") == "http":
                    text = f"HTTP {scheme.get('scheme', '')} authentication"
                elif scheme.get("type") == "apiKey":
                    text = f"API key in {scheme.get('in', '?')} {code(scheme.get('name', '?'))}"
                else:
                    text = code(name)
                if scopes:
                    text += " (scopes " + ", ".join(code(s) for s in scopes) + ")"
                names.append(text)
            alternatives.append(" and ".join(names))
        return " or ".join(alternatives)

    # ---------------------------------------------------------------- sections

    def tag_groups(self):
        """[(tag name, tag description, [entries])] in the spec's tag order."""
        declared = [t for t in (self.spec.get("tags") or []) if isinstance(t, dict) and "name" in t]
        groups = {t["name"]: (t.get("description", ""), []) for t in declared}
        for entry in self.operations:
            tags = entry["op"].get("tags") or []
            if tags:
                name = str(tags[0])
            else:
                segments = [s for s in entry["path"].split("/") if s and not re.fullmatch(r"v\d+|api", s)]
                name = segments[0] if segments else "/"
            groups.setdefault(name, ("", []))[1].append(entry)
            for extra in tags[1:]:
                groups.setdefault(str(extra), ("", []))
        out = []
        for name, (description, entries) in groups.items():
            also = [e for e in self.operations
                    if str(name) in [str(t) for t in (e["op"].get("tags") or [])[1:]]]
            if entries or also:
                out.append((name, description, entries, also))
        return out

    def build(self):
        info = self.spec.get("info") or {}
        title = info.get("title", "API")
        self.heading(1, f"{title} API guide")
        self.para(f"> Generated from [`openapi.yaml`](openapi.yaml) by `docs/tools/api_guide.py`; "
                  "do not edit by hand. Run `python3 docs/tools/api_guide.py` after changing the spec.")
        facts = []
        if info.get("version"):
            facts.append(f"API version {code(str(info['version']))}")
        if self.spec.get("openapi"):
            facts.append(f"OpenAPI {self.spec['openapi']}")
        if info.get("license", {}).get("name"):
            facts.append(f"licence: {info['license']['name']}")
        if facts:
            self.para(" · ".join(facts))
        if info.get("summary"):
            self.para(one_line(info["summary"]))
        servers = self.spec.get("servers") or []
        if servers:
            self.para("Servers:")
            self.lines.pop()
            for server in servers:
                text = f"- {code(server.get('url', ''))}"
                if server.get("description"):
                    text += f": {one_line(server['description'])}"
                self.emit(text)
            self.emit("")
        toc_at = len(self.lines)

        sections = []  # (key, title) for the contents
        if info.get("description"):
            self.heading(2, "Overview", "sec:overview")
            sections.append(("sec:overview", "Overview"))
            self.emit(*shift_headings(str(info["description"]), 3))
            self.emit("")
        if self.build_auth():
            sections.append(("sec:auth", "Authentication"))
        if self.build_errors():
            sections.append(("sec:errors", "Errors and shared responses"))
        if self.build_paging():
            sections.append(("sec:paging", "Pagination"))
        if self.build_headers():
            sections.append(("sec:headers", "Headers"))

        groups = self.tag_groups()
        for name, description, entries, also in groups:
            self.heading(2, str(name), f"tag:{name}")
            if description:
                self.para(one_line(description))
            if also:
                self.para("Also in this group: " + ", ".join(self.op_link(e) for e in also) + ".")
            for entry in entries:
                self.build_operation(entry)
        if self.schemas:
            self.build_schemas()

        toc = ["## Contents", ""]
        for key, text in sections:
            toc.append(f"- [{text}](\x00{key}\x00)")
        toc.append("- Endpoints")
        for name, description, entries, also in groups:
            line = f"  - [{name}](\x00tag:{name}\x00)"
            if description:
                line += f": {one_line(description)}"
            toc.append(line)
            for entry in sorted(entries + also, key=self.operations.index):
                summary = entry["op"].get("summary")
                toc.append(f"    - {self.op_link(entry)}" + (f" — {one_line(summary)}" if summary else ""))
        if self.schemas:
            toc.append("- [Schemas](\x00sec:schemas\x00)")
        toc.append("")
        self.lines[toc_at:toc_at] = toc
        self.anchor_keys = {(i + len(toc) if i >= toc_at else i): k for i, k in self.anchor_keys.items()}
        return self.render()

    def build_auth(self):
        schemes = self.components.get("securitySchemes") or {}
        if not schemes and not self.spec.get("security"):
            return False
        self.heading(2, "Authentication", "sec:auth")
        default = self.security_text({})
        self.para(f"Unless an operation says otherwise, every request needs: {default}.")
        for name, scheme in schemes.items():
            scheme = self.deref(scheme)
            kind = scheme.get("type", "?")
            if kind == "http":
                kind += f" {scheme.get('scheme', '')}".rstrip()
            elif kind == "apiKey":
                kind += f" in {scheme.get('in', '?')} {code(scheme.get('name', '?'))}"
            text = f"- {code(name)} ({kind})"
            if scheme.get("description"):
                text += f": {one_line(scheme['description'])}"
            self.emit(text)
        if schemes:
            self.emit("")
        default_req = self.spec.get("security")
        different = [e for e in self.operations
                     if "security" in e["op"] and e["op"]["security"] != default_req]
        if different:
            self.para("Operations with other requirements:")
            self.lines.pop()
            for entry in different:
                self.emit(f"- {self.op_link(entry)}: {self.security_text(entry['op'])}")
            self.emit("")
        return True

    def build_errors(self):
        shared = self.components.get("responses") or {}
        if not self.problem_schema and not shared:
            return False
        self.heading(2, "Errors and shared responses", "sec:errors")
        if self.problem_schema:
            schema = self.schemas[self.problem_schema]
            self.para(f"Errors answer `application/problem+json` with a {self.schema_link(self.problem_schema)} "
                      "body" + (f": {one_line(schema['description'])}" if schema.get("description") else "."))
            self.emit(*self.field_table(schema))
            self.emit("")
        if shared:
            used = {}
            for entry in self.operations:
                for status, _, name, _ in self.responses(entry["op"]):
                    if name:
                        used.setdefault(name, [])
                        if status not in used[name]:
                            used[name].append(status)
            self.para("Responses shared by many operations. Each operation lists the ones it can answer; "
                      "where it gives a more precise meaning, its own description says so.")
            rows = []
            for name, resp in shared.items():
                resp = self.deref(resp)
                statuses = ", ".join(used.get(name, [])) or "(unused)"
                headers = ", ".join(code(h) for h in (resp.get("headers") or {}) if h not in self.universal_headers)
                rows.append([statuses, code(name), resp.get("description", ""), headers])
            self.emit(*table(["Status", "Response", "Meaning", "Headers"], rows))
            self.emit("")
        return True

    def build_paging(self):
        params = [(n, self.deref(p)) for n, p in (self.components.get("parameters") or {}).items()]
        query = [(n, p) for n, p in params if p.get("in") == "query"]
        lists = [n for n, s in self.schemas.items()
                 if isinstance(s, dict) and {"items", "next_cursor"} <= set((s.get("properties") or {}))]
        if not query and not lists:
            return False
        self.heading(2, "Pagination", "sec:paging")
        if query:
            self.para("Shared query parameters (each operation lists those it takes):")
            self.emit(*self.param_table([p for _, p in query]))
            self.emit("")
        if lists:
            self.para("List responses are objects with `items` and `next_cursor`: "
                      + ", ".join(self.schema_link(n) for n in lists) + ".")
        return True

    def build_headers(self):
        headers = self.components.get("headers") or {}
        params = [self.deref(p) for p in (self.components.get("parameters") or {}).values()]
        request = [p for p in params if p.get("in") == "header"]
        if not headers and not request:
            return False
        self.heading(2, "Headers", "sec:headers")
        if self.universal_headers:
            self.para("Every response carries " + ", ".join(code(h) for h in sorted(self.universal_headers))
                      + "; the operations below leave it out of their lists.")
        if request:
            self.para("Request headers:")
            rows = [[code(p.get("name", "")), self.type_of(p.get("schema")),
                     ", ".join(self.constraints(p.get("schema"))), p.get("description", "")] for p in request]
            self.emit(*table(["Header", "Type", "Constraints", "Description"], rows))
            self.emit("")
        if headers:
            names = {}
            for entry in self.operations:
                for _, resp, _, _ in self.responses(entry["op"]):
                    for hname, raw in (resp.get("headers") or {}).items():
                        if isinstance(raw, dict) and str(raw.get("$ref", "")).startswith("#/components/headers/"):
                            comp = raw["$ref"].rsplit("/", 1)[1]
                            names.setdefault(comp, [])
                            if hname not in names[comp]:
                                names[comp].append(hname)
            for resp in (self.components.get("responses") or {}).values():
                for hname, raw in (self.deref(resp).get("headers") or {}).items():
                    if isinstance(raw, dict) and str(raw.get("$ref", "")).startswith("#/components/headers/"):
                        comp = raw["$ref"].rsplit("/", 1)[1]
                        names.setdefault(comp, [])
                        if hname not in names[comp]:
                            names[comp].append(hname)
            self.para("Response headers:")
            rows = []
            for comp, header in headers.items():
                header = self.deref(header)
                shown = ", ".join(code(n) for n in names.get(comp, [])) or code(comp)
                rows.append([shown, self.type_of(header.get("schema")),
                             ", ".join(self.constraints(header.get("schema"))), header.get("description", "")])
            self.emit(*table(["Header", "Type", "Constraints", "Description"], rows))
            self.emit("")
        return True

    def param_table(self, params):
        rows = []
        for p in params:
            schema = p.get("schema")
            if schema is None and p.get("content"):
                schema = next(iter(p["content"].values()), {}).get("schema")
            rows.append([code(p.get("name", "")), p.get("in", ""), self.type_of(schema),
                         "yes" if p.get("required") else "no",
                         ", ".join(self.constraints(schema)), p.get("description", "")])
        return table(["Name", "In", "Type", "Required", "Constraints", "Description"], rows)

    def body_text(self, content):
        """How a content map reads in one cell: the schema, media types when they matter."""
        if not content:
            return "—"
        rendered = []
        for media, obj in content.items():
            text = self.type_of((obj or {}).get("schema")) if (obj or {}).get("schema") is not None else "any"
            rendered.append((media, text))
        if len(rendered) == 1 and rendered[0][0] in JSON_TYPES:
            return rendered[0][1]
        return "; ".join(f"{text} ({code(media)})" for media, text in rendered)

    def build_operation(self, entry):
        op = entry["op"]
        summary = op.get("summary")
        title = self.op_title(entry) + (f" — {one_line(summary)}" if summary else "")
        self.heading(3, title, entry["key"])
        meta = []
        if op.get("operationId"):
            meta.append(code(op["operationId"]))
        meta.append("Auth: " + self.security_text(op))
        if op.get("deprecated"):
            meta.append("**deprecated**")
        self.para(" · ".join(meta))
        extensions = [(k, v) for k, v in op.items() if str(k).startswith("x-")]
        for key, value in extensions:
            if isinstance(value, list):
                value = ", ".join(code(v) for v in value)
            elif not isinstance(value, str):
                value = code(value)
            self.emit(f"- **{code(key)}**: {value}")
        if extensions:
            self.emit("")
        if op.get("description"):
            self.emit(*shift_headings(str(op["description"]), 4))
            self.emit("")

        params = self.params(entry)
        if params:
            self.para("**Parameters**")
            self.emit(*self.param_table(params))
            self.emit("")

        body = self.deref(op.get("requestBody")) if op.get("requestBody") else None
        if body:
            content = body.get("content") or {}
            schemas = []
            for media, obj in content.items():
                schema = (obj or {}).get("schema")
                key = json.dumps(schema, sort_keys=True, default=str)
                for known in schemas:
                    if known[0] == key:
                        known[2].append(media)
                        break
                else:
                    schemas.append([key, schema, [media]])
            head = "**Request body** (" + ("required" if body.get("required") else "optional") + ")"
            if body.get("description"):
                head += f": {one_line(body['description'])}"
            self.para(head)
            for _, schema, medias in schemas:
                line = ", ".join(code(m) for m in medias) + ": " + self.type_of(schema)
                target = self.deref(schema) if isinstance(schema, dict) else {}
                if target.get("description") and "$ref" in (schema or {}):
                    line += f" — {one_line(target['description'])}"
                self.para(line)
                if target.get("maxProperties") == 0 and not target.get("properties"):
                    self.para("No fields: send `{}` or nothing.")
                    continue
                rows = self.field_table(schema)
                if rows:
                    self.emit(*rows)
                    self.emit("")
                else:
                    extra = self.constraints(target)
                    if extra:
                        self.para("Constraints: " + ", ".join(extra) + ".")

        responses = self.responses(op)
        if responses:
            rows, standard = [], []
            for status, resp, name, overridden in responses:
                is_error = status[:1] in "45"
                if is_error and name and not overridden:
                    standard.append(status)
                    continue
                description = resp.get("description", "")
                if is_error and self.problem_codes and not self.codes_in(description) and name:
                    shared = self.deref((self.components.get("responses") or {}).get(name) or {})
                    codes = self.codes_in(shared.get("description"))
                    if codes:
                        description = " / ".join(code(c) for c in codes) + ": " + description
                headers = ", ".join(code(h) for h in (resp.get("headers") or {}) if h not in self.universal_headers)
                rows.append([code(status), description, self.body_text(resp.get("content")), headers])
            if rows:
                self.para("**Responses**")
                if any(r[3] for r in rows):
                    self.emit(*table(["Status", "Description", "Body", "Headers"], rows))
                else:
                    self.emit(*table(["Status", "Description", "Body"], [r[:3] for r in rows]))
                self.emit("")
            if standard:
                self.para("Other errors, as in [Errors and shared responses](\x00sec:errors\x00): "
                          + ", ".join(standard) + ".")

    def build_schemas(self):
        self.heading(2, "Schemas", "sec:schemas")
        self.para("Every component schema, in the order of the spec. In a response, *required* means the "
                  "field is always present (possibly `null` when the type says nullable).")
        self.para(" · ".join(self.schema_link(n) for n in self.schemas))

        used_by_ops, used_by_schemas = {}, {}

        def refs_in(node, out):
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
                    name = ref[len(SCHEMA_PREFIX):]
                    if name not in out:
                        out.append(name)
                for value in node.values():
                    refs_in(value, out)
            elif isinstance(node, list):
                for value in node:
                    refs_in(value, out)
            return out

        for entry in self.operations:
            direct = []
            body = self.deref(entry["op"].get("requestBody")) if entry["op"].get("requestBody") else {}
            for media in (body.get("content") or {}).values():
                refs_in((media or {}).get("schema"), direct)
            for _, resp, _, _ in self.responses(entry["op"]):
                for media in (resp.get("content") or {}).values():
                    refs_in((media or {}).get("schema"), direct)
            for p in self.params(entry):
                refs_in(p.get("schema"), direct)
            for name in direct:
                used_by_ops.setdefault(name, []).append(entry)
        for owner, schema in self.schemas.items():
            for name in refs_in(schema, []):
                if name != owner:
                    used_by_schemas.setdefault(name, []).append(owner)

        for name, schema in self.schemas.items():
            self.heading(3, str(name), f"schema:{name}")
            schema = schema if isinstance(schema, dict) else {}
            if schema.get("description"):
                self.emit(*shift_headings(str(schema["description"]), 4))
                self.emit("")
            props = self.collect(schema)[0]
            if "allOf" in schema:
                parts = [self.type_of(m) for m in schema["allOf"] if isinstance(m, dict) and "$ref" in m]
                own = any(isinstance(m, dict) and "$ref" not in m for m in schema["allOf"])
                self.para("All of " + ", ".join(parts) + (" plus its own fields" if own else "")
                          + (" (merged below)." if props else "."))
            if props:
                self.emit(*self.field_table(schema))
                self.emit("")
            elif ("oneOf" in schema or "anyOf" in schema) and "allOf" not in schema:
                word = "One of" if "oneOf" in schema else "Any of"
                self.para(f"{word}:")
                self.lines.pop()
                for variant in schema.get("oneOf") or schema.get("anyOf"):
                    extra = ", ".join(self.constraints(variant)) if "$ref" not in variant else ""
                    self.emit(f"- {self.type_of(variant)}" + (f": {extra}" if extra else ""))
                self.emit("")
                extra = self.constraints(schema, with_variants=False)
                if extra:
                    self.para("Constraints: " + ", ".join(extra) + ".")
            else:
                extra = self.constraints(schema)
                line = f"Type: {self.type_of(schema)}"
                if extra:
                    line += " · " + ", ".join(extra)
                self.para(line)
            if name == self.problem_schema:
                self.para("Used by: every error response (`application/problem+json`).")
            elif name in used_by_ops:
                self.para("Used by: " + ", ".join(self.op_link(e) for e in used_by_ops[name]) + ".")
            if name in used_by_schemas:
                self.para("Referenced by: " + ", ".join(self.schema_link(n) for n in used_by_schemas[name]) + ".")

    # ---------------------------------------------------------------- anchors and output

    def render(self):
        slugs, counts, fenced = {}, {}, False
        for index, line in enumerate(self.lines):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            m = None if fenced else re.match(r"#{1,6} (.*)", line)
            if not m:
                continue
            slug = base = github_slug(m.group(1))
            if base in counts:
                while True:
                    counts[base] += 1
                    slug = f"{base}-{counts[base]}"
                    if slug not in counts:
                        break
            counts[slug] = 0
            if index in self.anchor_keys:
                slugs[self.anchor_keys[index]] = slug

        def link(match):
            key = match.group(1)
            if key not in slugs:
                self.warn(f"internal link to {key!r} has no heading")
                return "#"
            return "#" + slugs[key]

        text = "\n".join(self.lines)
        text = re.sub(r"\x00([^\x00]+)\x00", link, text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n") + "\n"


def generate(spec_path=SPEC):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.load(f, Loader=SpecLoader)
    guide = Guide(spec)
    return guide.build(), guide.warnings


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate docs/api.md from docs/openapi.yaml.")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if docs/api.md differs from what would be generated; write nothing")
    args = parser.parse_args(argv)
    text, warnings = generate()
    if args.check:
        try:
            current = OUT.read_bytes()
        except FileNotFoundError:
            current = None
        if current != text.encode("utf-8"):
            print(STALE, file=sys.stderr)
            return 1
        return 0
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    OUT.write_bytes(text.encode("utf-8"))
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode('utf-8'))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
