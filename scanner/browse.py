"""Browse the merged matrix: ``matrix list``, ``matrix show PRODUCT`` and ``explain RULE``, as text or JSON."""

from __future__ import annotations

import difflib
import importlib
import itertools
import json
import re
import sys
import textwrap
from typing import Any

import yaml

from scanner.errors import UsageError
from scanner.keypath import ANY, DEEP, GLOB, ITEM, Part
from scanner.match import where_anchor
from scanner.matrix import FileSpec, Matrix, Product, Rule
from scanner.model import value_text

BROWSE_FORMATS = ("text", "json")
SOURCE_ORDER = ("bundled", "plugin", "config", "cli")
PLACEHOLDER = "..."
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_TOML_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _check_format(fmt: str) -> None:
    if fmt not in BROWSE_FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(BROWSE_FORMATS)}")


def _dump(data: dict[str, Any]) -> str:
    return json.dumps({"version": 1, **data}, indent=2, ensure_ascii=False, default=str) + "\n"


def did_you_mean(word: str, known: list[str]) -> str:
    """``; did you mean X or Y?`` for the known words closest to word (any case), or an empty string."""
    folded = {k.lower(): k for k in known}
    close = difflib.get_close_matches(word.lower(), list(folded), n=3, cutoff=0.6)
    close += [k for k in sorted(folded) if k.startswith(word.lower()) and k not in close][: 3 - len(close)]
    return f"; did you mean {' or '.join(folded[c] for c in close)}?" if close else ""


def find_product(matrix: Matrix, pid: str) -> Product:
    """The product with this id (case-insensitive), or a UsageError with a did-you-mean suggestion."""
    product = matrix.products.get(pid) or matrix.products.get(pid.lower())
    if product is None:
        raise UsageError(f"unknown product {pid!r}{did_you_mean(pid, list(matrix.products))} "
                         "(`cfgscan matrix list` shows every product)")
    return product


def _letters(text: str) -> str:
    """The alphabetic prefix of a rule id, the product's part of it (``DJ`` of ``DJ001``)."""
    return "".join(itertools.takewhile(str.isalpha, text)).lower()


def find_rule(matrix: Matrix, rid: str) -> Rule:
    """The rule with this id (case-insensitive), or a UsageError with a did-you-mean suggestion."""
    rule = matrix.rules.get(rid) or {k.lower(): r for k, r in matrix.rules.items()}.get(rid.lower())
    if rule is None:
        stem = _letters(rid)
        owners = sorted({r.product for k, r in matrix.rules.items() if stem and _letters(k) == stem})
        where = f"`cfgscan matrix show {owners[0] if len(owners) == 1 else 'PRODUCT'}` lists"
        raise UsageError(f"unknown rule {rid!r}{did_you_mean(rid, list(matrix.rules))} ({where} a product's rules)")
    return rule


# --- matrix list ----------------------------------------------------------------------------------

def _source_rank(source: str) -> int:
    """Merge order of a source (bundled, plugin:NAME, config, cli)."""
    kind = source.split(":", 1)[0]
    return SOURCE_ORDER.index(kind) if kind in SOURCE_ORDER else len(SOURCE_ORDER)


def _summary(product: Product) -> dict[str, Any]:
    first, latest = product.releases[:1], product.latest()
    return {
        "product": product.id, "title": product.title, "source": product.source, "origin": product.origin,
        "rules": len(product.rules),
        "releases": {"first": first[0].version if first else None,
                     "latest": latest.version if latest else None, "count": len(product.releases)},
        "versions_from": product.versions_from,
        "rule_origins": list(dict.fromkeys([product.origin, *(r.origin for r in product.rules)])),
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _table(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        out.append("  ".join(cells).rstrip())
    return out


def list_products(matrix: Matrix, fmt: str = "text") -> str:
    """Every loaded product with its source, rule count and release range."""
    _check_format(fmt)
    products = sorted(matrix.products.values(), key=lambda p: (_source_rank(p.source), p.id))
    items = [_summary(p) for p in products]
    if fmt == "json":
        return _dump({"products": items})
    rows = [["PRODUCT", "TITLE", "SOURCE", "RULES", "RELEASES"]]
    for item in items:
        rel = item["releases"]
        span = f"{rel['first']} … {rel['latest']} ({rel['count']})" if rel["count"] > 1 else (rel["first"] or "-")
        rows.append([item["product"], item["title"], item["source"], str(item["rules"]), span])
    sources = sorted({p.source for p in products}, key=lambda s: (_source_rank(s), s))
    total = sum(len(p.rules) for p in products)
    tail = (f"{_plural(len(products), 'product')}, {_plural(total, 'rule')} "
            f"(sources: {', '.join(sources) or 'none'})")
    merged = [f"{i['product']}: rules from {', '.join(i['rule_origins'])}" for i in items if len(i["rule_origins"]) > 1]
    return "\n".join([*_table(rows, right=(3,)), *merged, tail]) + "\n"


# --- matrix show ----------------------------------------------------------------------------------

def _rule_versions(rule: Rule) -> str:
    if rule.kind == "default-changed":
        return f"default changes in {rule.changed}"
    dep, rem = rule.deprecated, rule.removed
    return " → ".join(filter(None, [f"deprecated {dep}" if dep else "", f"removed {rem}" if rem else ""]))


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id, "product": rule.product, "file": rule.file, "key": rule.key, "kind": rule.kind,
        "deprecated": rule.deprecated, "removed": rule.removed, "changed": rule.changed,
        "default": {"old": rule.default_old, "new": rule.default_new} if rule.kind == "default-changed" else None,
        "value": rule.value if rule.has_value else None,
        "value_regex": rule.value_regex.pattern if rule.value_regex else None,
        "where": {_render_parts(parts): value for parts, value in rule.where} or None,
        "message": rule.message, "replacement": rule.replacement,
        "fix": {"action": rule.fix_action, "to": rule.fix_to, "safe": rule.fix_safe},
        "docs": rule.docs, "source": rule.source, "origin": rule.origin, "removal_planned": rule.removal_planned,
    }


def _file_json(spec: FileSpec) -> dict[str, Any]:
    return {"format": spec.format, "include": list(spec.include), "exclude": list(spec.exclude),
            "contains": list(spec.contains), "complete_when": list(spec.complete_when)}


def _release_text(version: str, lts: bool, requires: tuple[tuple[str, str], ...]) -> str:
    notes = (["LTS"] if lts else []) + [f"{p}{s}" for p, s in requires]
    return f"{version} ({', '.join(notes)})" if notes else version


def show_product(matrix: Matrix, pid: str, fmt: str = "text") -> str:
    """One product in full: releases (LTS, requires), upgrade policy, files and a table of its rules."""
    _check_format(fmt)
    product = find_product(matrix, pid)
    if fmt == "json":
        return _dump({
            **_summary(product),
            "releases": [{"version": r.version, "lts": r.lts, "requires": dict(r.requires)} for r in product.releases],
            "upgrade": {"step": product.step, "stops": list(product.stops)},
            "files": {name: _file_json(spec) for name, spec in product.files.items()},
            "rules": [_rule_json(r) for r in product.rules],
        })
    releases = ", ".join(_release_text(r.version, r.lts, r.requires) for r in product.releases) or "none"
    vfrom = ", ".join(f"{k}: {v}" for k, v in product.versions_from.items()) or "not detected (use --installed)"
    lines = [
        f"{product.id} — {product.title}",
        f"source:    {product.source} ({product.origin})",
        f"versions:  {vfrom}",
        f"upgrade:   step {product.step}; stops: {', '.join(product.stops) or 'none'}",
        *textwrap.wrap(f"releases:  {releases}", 100, subsequent_indent=" " * 11, break_on_hyphens=False),
        "files:",
    ]
    files = [[name, spec.format, ", ".join(spec.include)
              + (f"  containing {' or '.join(spec.contains)}" if spec.contains else "")
              + (f"  excluding {', '.join(spec.exclude)}" if spec.exclude else "")
              + (f"  (default changes only with {' or '.join(spec.complete_when)})" if spec.complete_when else "")]
             for name, spec in product.files.items()]
    lines.extend("  " + row for row in (_table(files) if files else []))
    lines.append(f"rules ({len(product.rules)}):")
    if product.rules:
        rows = [["ID", "FILE", "KEY", "VERSIONS", "FIX", "MESSAGE"]]
        for r in product.rules:
            message = r.message.splitlines()[0] if r.message else ""
            rows.append([r.id, r.file, r.key, _rule_versions(r), r.fix_action, textwrap.shorten(message, 60)])
        lines.extend("  " + row for row in _table(rows))
    return "\n".join(lines) + "\n"


# --- explain --------------------------------------------------------------------------------------

def _predicates(rule: Rule) -> list[str]:
    out = []
    if rule.has_value:
        out.append(f"the value is {value_text(rule.value)!r}")
    if rule.value_regex is not None:
        out.append(f"the value matches /{rule.value_regex.pattern}/")
    out.extend(f"the {'key' if _render_parts(parts).startswith('/') else 'sibling key'} {_render_parts(parts)} is "
               f"{value!r}" for parts, value in rule.where)
    return out


def explain_rule(matrix: Matrix, rid: str, fmt: str = "text") -> str:
    """Everything about one rule, with a tiny config snippet in the rule's file format that shows the key."""
    _check_format(fmt)
    rule = find_rule(matrix, rid)
    product = matrix.products[rule.product]
    spec = product.files[rule.file]
    example = example_snippet(rule, spec.format)
    if fmt == "json":
        return _dump({**_rule_json(rule), "title": product.title, "source_kind": product.source,
                      "file_spec": {"name": spec.name, **_file_json(spec)},
                      "example": {"format": spec.format, "filename": example_filename(spec), "text": example}})
    fix = rule.fix_action + (f" → {rule.fix_to!r}" if rule.fix_to is not None else "")
    fix += "" if rule.fix_action == "none" else (" (safe)" if rule.fix_safe else " (unsafe: --unsafe-fixes)")
    rows = [
        ("product", f"{product.id} ({product.title})"),
        ("key", rule.key),
        *([("when", f"the key is absent; default {rule.default_old!r} → {rule.default_new!r}")]
          if rule.kind == "default-changed" else []),
        *([("only if", "; ".join(_predicates(rule)))] if _predicates(rule) else []),
        ("versions", _rule_versions(rule)),
        *([("removal", rule.removal_planned)] if rule.removal_planned else []),
        ("replacement", rule.replacement or "-"),
        ("fix", fix),
        ("docs", rule.docs or "-"),
        ("source", rule.source),
        ("matrix", f"{rule.origin} ({product.source})"),
        ("files", f"{spec.name}: {spec.format}, {', '.join(spec.include)}"
                  + (f", containing {' or '.join(spec.contains)}" if spec.contains else "")
                  + (f", excluding {', '.join(spec.exclude)}" if spec.exclude else "")),
    ]
    lines = [f"{rule.id}: {rule.message.splitlines()[0] if rule.message else ''}"]
    lines += ["  " + extra for extra in rule.message.splitlines()[1:]]
    lines.append("")
    lines += [f"{name + ':':<13}{value}" for name, value in rows]
    lead = f"example, in {example_filename(spec)}"
    if rule.kind == "default-changed":
        lead += f" (the rule fires while {rule.key} is absent; setting it explicitly keeps the old default)"
    lines += ["", f"{lead}:", textwrap.indent(example.rstrip("\n"), "  ")]
    return "\n".join(lines) + "\n"


# --- example snippets -----------------------------------------------------------------------------

def example_filename(spec: FileSpec) -> str:
    """A file name the spec claims, for the example's caption (``**/settings.py`` -> ``settings.py``)."""
    name = spec.include[0].rsplit("/", 1)[-1] if spec.include else "config"
    return name.replace("*", "example").replace("?", "x").replace("{", "").replace("}", "")


def _fill(part: Part) -> str | int:
    """A concrete segment the pattern part matches: ``*`` -> example, ``testenv*`` -> testenv, ``[]`` -> 0."""
    if part.kind == ITEM:
        return 0
    if part.kind == ANY:
        return "example"
    if part.kind != GLOB:
        return part.text
    stem = re.sub(r"[*?]", "", part.text)
    filler = "EXAMPLE" if stem.upper() == stem and any(c.isalpha() for c in stem) else "example"
    out = ""
    for i, ch in enumerate(part.text):
        if ch == "?":
            out += "x"
        elif ch == "*":
            out += filler if i > 0 and part.text[i - 1] in "-_:." else ""
        else:
            out += ch
    return out or filler


def _render_parts(parts: tuple[Part, ...]) -> str:
    out = ""
    for p in parts:
        text = {ITEM: "[]", ANY: "*", DEEP: "**"}.get(p.kind, p.text)
        if p.kind not in (ITEM,) and ("." in text or "/" in text):
            text = f'"{text}"'
        out += text if p.kind == ITEM else ("." if out else "") + text
    return out


def _nest(segments: list[str | int], leaf: object) -> object:
    for seg in reversed(segments):
        leaf = [leaf] if isinstance(seg, int) else {seg: leaf}
    return leaf


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into.setdefault(k, v)


def _leaf_value(rule: Rule) -> object:
    if rule.kind == "default-changed":
        return rule.default_old
    if rule.has_value:
        return rule.value
    if rule.value_regex is not None:
        sample = regex_sample(rule.value_regex.compiled)
        if sample is None or (not sample and rule.value_regex.search(PLACEHOLDER)):
            return PLACEHOLDER
        return sample
    return PLACEHOLDER


def example_tree(rule: Rule) -> object:
    """The smallest document holding the rule's key (with its value and sibling predicates)."""
    segments = [_fill(p) for p in rule.parts if p.kind != DEEP]
    leaf = _leaf_value(rule)
    if not segments or isinstance(segments[-1], int) or not rule.where:
        return _nest(segments, leaf)
    parent: dict[str, Any] = {str(segments[-1]): leaf}
    at_root: list[object] = []
    for parts, value in rule.where:
        base, rel = where_anchor(("",), parts)  # base () marks a key read from the document root
        sibling = _nest([_fill(p) for p in rel if p.kind != DEEP], value)
        if isinstance(sibling, dict):
            if base:
                _merge(parent, sibling)
            else:
                at_root.append(sibling)
    tree = _nest(segments[:-1], parent)
    for extra in at_root:
        if isinstance(tree, dict) and isinstance(extra, dict):
            _merge(tree, extra)
    return tree


def example_snippet(rule: Rule, fmt: str) -> str:
    """A tiny config in ``fmt`` (a matrix file format) that shows the rule's key; generated from the key path."""
    tree = example_tree(rule)
    if fmt in ("json", "jsonc"):
        return json.dumps(tree, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "toml" and isinstance(tree, dict):
        return "\n".join(_toml_table((), tree)).lstrip("\n") + "\n"
    if fmt == "ini" and isinstance(tree, dict):
        return _ini(tree)
    if fmt in ("python", "dotenv", "javascript") and isinstance(tree, dict):
        if fmt == "python":
            return "".join(f"{k} = {_code(v, python=True)}\n" for k, v in tree.items())
        if fmt == "dotenv":
            return "".join(f"{k}={value_text(v) if not isinstance(v, (dict, list)) else PLACEHOLDER}\n"
                           for k, v in tree.items())
        return f"module.exports = {_code(tree, python=False)};\n"
    return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _code(value: object, python: bool, indent: int = 0) -> str:
    """A Python or JavaScript literal, one key per line for mappings."""
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = json.dumps(k) if python or not _IDENT.match(str(k)) else str(k)
            items.append(f"{inner}{key}: {_code(v, python, indent + 1)},")
        return "{\n" + "\n".join(items) + f"\n{pad}}}" if items else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_code(v, python, indent) for v in value) + "]"
    if isinstance(value, bool):
        return ("True" if value else "False") if python else ("true" if value else "false")
    if value is None:
        return "None" if python else "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if _TOML_BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(PLACEHOLDER if value is None else str(value), ensure_ascii=False)


def _toml_table(path: tuple[str, ...], table: dict[str, Any], array: bool = False) -> list[str]:
    scalars = {k: v for k, v in table.items() if not _is_table(v)}
    header = ".".join(_toml_key(p) for p in path)
    lines = ([""] + ([f"[[{header}]]"] if array else [f"[{header}]"]) if path and (scalars or array) else [])
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scalars.items()]
    for k, v in table.items():
        if isinstance(v, dict):
            lines += _toml_table((*path, k), v)
        elif _is_table(v):
            for item in v:
                lines += _toml_table((*path, k), item, array=True)
    return lines


def _is_table(value: object) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and all(isinstance(v, dict) for v in value))


def _ini(tree: dict[str, Any]) -> str:
    lines: list[str] = []
    for section, options in tree.items():
        lines.append(f"[{section}]")
        for option, value in (options.items() if isinstance(options, dict) else [("option", options)]):
            if isinstance(value, list):
                lines.append(f"{option} =")
                lines.extend(f"    {value_text(v) if not isinstance(v, (list, dict)) else PLACEHOLDER}"
                             for v in value)
            else:
                lines.append(f"{option} = {value_text(value) if not isinstance(value, dict) else PLACEHOLDER}")
    return "\n".join(lines) + "\n"


def regex_sample(pattern: re.Pattern[str]) -> str | None:
    """A short string the regex finds (best effort from the parsed pattern), or None when none was found."""
    try:
        parser: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
        tree = parser.parse(pattern.pattern, pattern.flags)
    except (ImportError, re.error, RecursionError):
        return None
    samples = [_sample(tree.data if hasattr(tree, "data") else list(tree), one, short)
               for one in (True, False) for short in (True, False)]
    candidates = [c for s in samples if s is not None
                  for c in (s.lstrip(), s.lstrip() + "example", s, s + "example")]
    # config readers strip surrounding blanks, so prefer a sample without them
    for candidate in sorted(candidates, key=lambda c: c.strip() != c):
        if pattern.search(candidate):
            return candidate
    return None


_CANDIDATES = "aAx0_-./: "


def _sample(items: list[Any], prefer_one: bool, shortest: bool) -> str | None:
    out = ""
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out += chr(arg)
        elif name == "NOT_LITERAL":
            out += next(c for c in _CANDIDATES if ord(c) != arg)
        elif name == "ANY":
            out += "x"
        elif name == "IN":
            ch = _in_sample(arg)
            if ch is None:
                return None
            out += ch
        elif name == "BRANCH":
            found = [g for g in (_sample(list(b), prefer_one, shortest) for b in arg[1]) if g is not None]
            if not found:
                return None
            out += min(found, key=len) if shortest else found[0]
        elif name == "SUBPATTERN":
            got = _sample(list(arg[-1]), prefer_one, shortest)
            if got is None:
                return None
            out += got
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = arg
            got = _sample(list(body), prefer_one, shortest)
            if got is None:
                return None
            out += got * max(low, 1 if prefer_one else 0)
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            return None
    return out


def _in_sample(items: list[Any]) -> str | None:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if not negate:
        for op, arg in items:
            if str(op) in ("LITERAL", "RANGE"):
                return chr(arg if str(op) == "LITERAL" else arg[0])

    def member(ch: str) -> bool:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL" and ord(ch) == arg:
                return True
            if name == "RANGE" and arg[0] <= ord(ch) <= arg[1]:
                return True
            if name == "CATEGORY":
                cat = str(arg)
                test = {"CATEGORY_DIGIT": ch.isdigit(), "CATEGORY_SPACE": ch.isspace(),
                        "CATEGORY_WORD": ch.isalnum() or ch == "_"}
                for key, val in test.items():
                    if (cat == key and val) or (cat == key.replace("CATEGORY_", "CATEGORY_NOT_") and not val):
                        return True
        return False

    return next((c for c in _CANDIDATES if member(c) != negate), None)
