"""Load and validate matrix files (schema 1) into frozen products and rules, with precise errors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from scanner.errors import MatrixError
from scanner.excerpt import excerpt
from scanner.excerpt import name as shown
from scanner.keypath import KeyPathError, Part, fold_last, parse_pattern
from scanner.lazyregex import LazyRegex

if TYPE_CHECKING:
    from pathlib import Path

# Reading and validating matrix YAML happens on a cache miss only (scanner.matrix_cache): yaml and
# packaging.specifiers are imported there, not by a run that unpickles the matrix.

FORMATS = ("yaml", "toml", "ini", "json", "jsonc", "python", "dotenv", "javascript")
STEPS = ("each", "major", "lts", "any")
FIX_ACTIONS = ("delete", "rename", "set-value", "none")
KINDS = ("deprecated", "default-changed")
VERSION_SOURCES = ("pypi", "npm", "runtime", "docker", "calendar", "github")
PRODUCT_ID = LazyRegex(r"^[a-z0-9][a-z0-9._-]*$")  # compiled when a matrix is validated (a cache miss)
RULE_ID = LazyRegex(r"^[A-Za-z][A-Za-z0-9_-]*$")
MAX_ID = 64  # ids reach every report; a megabyte of one does not
MAX_REGEX_INPUT = 10_000
MAX_PROBLEMS = 100  # per file: a broken file of a megabyte must not flood the log

TOP_FIELDS = {"schema", "product", "title", "description", "versions_from", "releases", "upgrade", "files",
              "rules", "extends"}
RELEASE_FIELDS = {"version", "lts", "requires", "date", "notes"}
UPGRADE_FIELDS = {"step", "stops"}
FILE_FIELDS = {"format", "include", "exclude", "contains", "complete_when"}
RULE_FIELDS = {"id", "file", "key", "kind", "deprecated", "removed", "changed", "default", "when", "value",
               "value_regex", "where", "message", "replacement", "fix", "docs", "source", "removal_planned"}
FIX_FIELDS = {"action", "to", "safe"}


@dataclass(frozen=True)
class Release:
    """A release of a product, oldest first in its product's list."""

    version: str
    parsed: Version
    lts: bool = False
    requires: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FileSpec:
    """A named kind of config file of a product: its format and the paths it claims."""

    name: str
    format: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    # markers of a file holding the whole configuration; elsewhere (an overlay such as local_settings.py)
    # a key left out may be set by the module that imports it, so default-changed rules stay quiet
    complete_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One deprecated, removed or default-changed key (optionally with a value) of one file spec."""

    id: str
    product: str
    file: str
    key: str
    parts: tuple[Part, ...]
    message: str
    source: str
    origin: str
    kind: str = "deprecated"
    deprecated: str | None = None
    removed: str | None = None
    changed: str | None = None
    default_old: object = None
    default_new: object = None
    value: object = None
    has_value: bool = False
    value_regex: LazyRegex | None = None
    where: tuple[tuple[tuple[Part, ...], str], ...] = ()
    replacement: str | None = None
    fix_action: str = "none"
    fix_to: object = None
    fix_safe: bool = True
    docs: str | None = None
    removal_planned: str | None = None


@dataclass
class Product:
    """A product's releases, upgrade steps, file specs and rules, merged from its matrix files."""

    id: str
    title: str
    origin: str
    source: str  # bundled | plugin:<name> | config | cli
    versions_from: dict[str, Any] = field(default_factory=dict)
    releases: list[Release] = field(default_factory=list)
    step: str = "each"
    stops: tuple[str, ...] = ()
    files: dict[str, FileSpec] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)

    def release_versions(self) -> list[Version]:
        return [r.parsed for r in self.releases]

    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None


@dataclass
class MatrixFile:
    """One parsed matrix file before merging (kept for error messages)."""

    path: str
    text: str
    data: dict[str, Any]


class _Problems:
    """Collects (field path, message) pairs and renders them with file and line at the end."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        self.items: list[tuple[tuple[str | int, ...], str]] = []

    def add(self, where: tuple[str | int, ...], message: str) -> None:
        self.items.append((where, message))

    def render(self) -> list[str]:
        from scanner.yamlnodes import line_of

        out = []
        for where, message in self.items[:MAX_PROBLEMS]:
            line = line_of(self.text, where)
            fld = ".".join(shown(w) if isinstance(w, str) else f"[{w}]" for w in where).replace(".[", "[")
            loc = f"{self.path}:{line}" if line else self.path
            out.append(f"{loc}: {fld or 'document'}: {message}" if fld else f"{loc}: {message}")
        if len(self.items) > MAX_PROBLEMS:
            out.append(f"{self.path}: {len(self.items) - MAX_PROBLEMS} more problems not shown")
        return out


def _version(value: Any, where: tuple[str | int, ...], problems: _Problems) -> Version | None:
    if not isinstance(value, str):
        problems.add(where, f"version {excerpt(value)} must be a quoted string (YAML reads 1.10 as the number 1.1)")
        return None
    try:
        return Version(value)
    except InvalidVersion:
        problems.add(where, f"version {excerpt(value)} does not parse")
        return None


def _unknown(data: dict[str, Any], allowed: set[str], where: tuple[str | int, ...], problems: _Problems) -> None:
    for key in data:
        if key not in allowed:
            problems.add((*where, key), f"unknown field {excerpt(key)} (allowed: {', '.join(sorted(allowed))})")


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def untrusted(source: str) -> bool:
    """A matrix named by a tool config may come from the scanned repository: its regexes must run in linear
    time and its YAML may not use aliases (bundled, plugin and --matrix files are trusted)."""
    return source == "config"


def read_matrix_file(path: str, text: str, refuse_aliases: bool = False) -> MatrixFile:
    """Parse the YAML of one matrix file; raise MatrixError naming the file on a syntax error."""
    from scanner.yamlnodes import first_alias, load_yaml

    try:
        alias = first_alias(text) if refuse_aliases else None
        if alias is not None:
            raise MatrixError([f"{path}:{alias}: a YAML alias (*name); a matrix named by the tool config may not "
                               "use aliases, as a few of them can expand to billions of values"])
        data = load_yaml(text)
    except MatrixError:
        raise
    except Exception as exc:  # yaml.YAMLError and friends
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise MatrixError([f"{path}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}"]) from None
    if not isinstance(data, dict):
        raise MatrixError([f"{path}:1: a matrix file must be a mapping with schema, product, releases and rules"])
    return MatrixFile(path, text, data)


def build_product(mf: MatrixFile, source: str, known: dict[str, Product]) -> tuple[Product | None, list[str]]:
    """Validate one matrix file and build its Product (or the rules it adds to a known product)."""
    d, p = mf.data, _Problems(mf.path, mf.text)
    _unknown(d, TOP_FIELDS, (), p)
    if d.get("schema") != 1 or isinstance(d.get("schema"), bool):
        p.add(("schema",), f"schema must be 1, got {excerpt(d.get('schema'))}")
    pid = d.get("product")
    if not isinstance(pid, str) or len(pid) > MAX_ID or not PRODUCT_ID.compiled.fullmatch(pid):
        p.add(("product",), f"product must be a lower-case id, got {excerpt(pid)}")
        return None, p.render()
    extends = d.get("extends")
    if extends is not None and extends != pid:
        p.add(("extends",), f"extends must name this file's own product {excerpt(pid)}, got {excerpt(extends)}")
    base = known.get(pid)
    defines = "releases" in d
    if base is not None and defines and extends != pid:
        p.add(("releases",), f"product {excerpt(pid)} is already defined by {base.origin}; "
                             f"add rules without releases, or declare 'extends: {pid}' to redefine it")
    if base is None and not defines:
        p.add(("releases",), f"releases are required for a new product {excerpt(pid)}")
    title = d.get("title", base.title if base else None)
    if not isinstance(title, str) or not title:
        p.add(("title",), "title must be a non-empty string")
    product = Product(id=pid, title=title if isinstance(title, str) else "", origin=mf.path, source=source)
    # shipped matrices (bundled, plugins) must not claim each other's files; a repository's own matrix
    # (--matrix, [tool.cfgscan]) may use broad patterns for its own files
    if base is not None:
        product.versions_from = dict(base.versions_from)
        product.releases = list(base.releases)
        product.step, product.stops = base.step, base.stops
        product.files = dict(base.files)
    _versions_from(d, product, p)
    if defines:
        product.releases = _releases(d.get("releases"), p)
    _upgrade(d, product, p)
    _files(d.get("files", {}), product, p)
    product.rules = _rules(d.get("rules", []), product, mf.path, p)
    return product, p.render()


def _versions_from(d: dict[str, Any], product: Product, p: _Problems) -> None:
    vf = d.get("versions_from")
    if vf is None:
        return
    if not isinstance(vf, dict):
        p.add(("versions_from",), "versions_from must be a mapping such as {pypi: django}")
        return
    for k, v in vf.items():
        if k not in VERSION_SOURCES:
            p.add(("versions_from", k), f"unknown version source {excerpt(k)} (allowed: {', '.join(VERSION_SOURCES)})")
        elif not isinstance(v, (str, bool, list)):
            p.add(("versions_from", k), "must be a name, a list of names, or true")
    product.versions_from = dict(vf)


def _releases(raw: Any, p: _Problems) -> list[Release]:
    if not isinstance(raw, list):
        p.add(("releases",), "releases must be a list of {version: ...}, oldest first")
        return []
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    out: list[Release] = []
    for i, r in enumerate(raw):
        where: tuple[str | int, ...] = ("releases", i)
        if not isinstance(r, dict) or "version" not in r:
            p.add(where, "each release must be a mapping with a version")
            continue
        _unknown(r, RELEASE_FIELDS, where, p)
        if not isinstance(r.get("lts", False), bool):
            p.add((*where, "lts"), "lts must be true or false")
        v = _version(r["version"], (*where, "version"), p)
        req = r.get("requires") or {}
        reqs: list[tuple[str, str]] = []
        if not isinstance(req, dict):
            p.add((*where, "requires"), "requires must map a product to a version specifier")
        else:
            for prod, spec in req.items():
                if isinstance(spec, (dict, list)):
                    p.add((*where, "requires", prod), "must be a version specifier such as '>=3.10'")
                    continue
                try:
                    SpecifierSet(str(spec))
                    reqs.append((str(prod), str(spec)))
                except InvalidSpecifier:
                    p.add((*where, "requires", prod), f"invalid version specifier {excerpt(spec)}")
        if v is None:
            continue
        if out and v <= out[-1].parsed:
            p.add((*where, "version"), f"releases must be listed oldest first ({r['version']} after {out[-1].version})")
        out.append(Release(r["version"], v, bool(r.get("lts", False)), tuple(reqs)))
    return out


def _upgrade(d: dict[str, Any], product: Product, p: _Problems) -> None:
    up = d.get("upgrade")
    if up is None:
        return
    if not isinstance(up, dict):
        p.add(("upgrade",), "upgrade must be a mapping with step and stops")
        return
    _unknown(up, UPGRADE_FIELDS, ("upgrade",), p)
    step = up.get("step", "each")
    if step not in STEPS:
        p.add(("upgrade", "step"), f"step must be one of {', '.join(STEPS)}, got {excerpt(step)}")
    else:
        product.step = step
    stops = up.get("stops") or []
    known = {r.version for r in product.releases}
    if not isinstance(stops, list):
        p.add(("upgrade", "stops"), "stops must be a list of release versions")
        return
    for i, s in enumerate(stops):
        if not isinstance(s, str):
            p.add(("upgrade", "stops", i), f"stop {excerpt(s)} must be a quoted release version")
        elif s not in known:
            p.add(("upgrade", "stops", i), f"stop {excerpt(s)} is not a listed release")
    product.stops = tuple(s for s in stops if isinstance(s, str))


def _files(raw: Any, product: Product, p: _Problems) -> None:
    if not isinstance(raw, dict):
        p.add(("files",), "files must map a name to {format, include}")
        return
    for name, spec in raw.items():
        where: tuple[str | int, ...] = ("files", name)
        if not isinstance(spec, dict):
            p.add(where, "must be a mapping with format and include")
            continue
        _unknown(spec, FILE_FIELDS, where, p)
        fmt = spec.get("format")
        if fmt not in FORMATS:
            p.add((*where, "format"), f"format must be one of {', '.join(FORMATS)}, got {excerpt(fmt)}")
        include = _strings(spec.get("include"))
        if not include:
            p.add((*where, "include"), "include must be a non-empty list of glob patterns")
        contains = _strings(spec.get("contains", [])) if "contains" in spec else ()
        if contains is None:
            p.add((*where, "contains"), "contains must be a string or a list of strings")
        exclude = _strings(spec.get("exclude", [])) if "exclude" in spec else ()
        if exclude is None:
            p.add((*where, "exclude"), "exclude must be a string or a list of strings")
        complete = _strings(spec.get("complete_when", [])) if "complete_when" in spec else ()
        if complete is None:
            p.add((*where, "complete_when"), "complete_when must be a string or a list of strings")
        broad = [g for g in include or () if g.rsplit("/", 1)[-1].startswith("*")]
        shipped = product.source == "bundled" or product.source.startswith("plugin:")
        if broad and not contains and shipped:
            p.add((*where, "contains"), f"the broad pattern {excerpt(broad[0])} needs 'contains' so products do not "
                                        "claim each other's files")
        product.files[name] = FileSpec(name, fmt if isinstance(fmt, str) else "", include or (), exclude or (),
                                       contains or (), complete or ())


def _rules(raw: Any, product: Product, origin: str, p: _Problems) -> list[Rule]:
    if not isinstance(raw, list):
        p.add(("rules",), "rules must be a list")
        return []
    out: list[Rule] = []
    for i, r in enumerate(raw):
        rule = _rule(r, ("rules", i), product, origin, p)
        if rule is not None:
            out.append(rule)
    return out


def _rule(r: Any, where: tuple[str | int, ...], product: Product, origin: str, p: _Problems) -> Rule | None:
    if not isinstance(r, dict):
        p.add(where, "a rule must be a mapping")
        return None
    before = len(p.items)
    _unknown(r, RULE_FIELDS, where, p)
    rid = r.get("id")
    if not isinstance(rid, str) or len(rid) > MAX_ID or not RULE_ID.compiled.fullmatch(rid):
        p.add((*where, "id"), f"id must be a word such as DJ001, got {excerpt(rid)}")
    for req in ("file", "key", "message", "source"):
        if not isinstance(r.get(req), str) or not r.get(req):
            p.add((*where, req), f"{req} is required (a non-empty string)")
    spec = product.files.get(r["file"]) if isinstance(r.get("file"), str) else None
    if isinstance(r.get("file"), str) and spec is None:
        p.add((*where, "file"), f"file {excerpt(r['file'])} is not declared under files")
    parts: tuple[Part, ...] = ()
    raw_key = r.get("key", "")
    try:
        if isinstance(raw_key, str):  # anything else is reported above
            parts = parse_pattern(raw_key)
            if spec is not None and spec.format == "ini":
                parts = fold_last(parts)
    except KeyPathError as exc:
        p.add((*where, "key"), str(exc))
    kind = r.get("kind", "deprecated")
    if kind not in KINDS:
        p.add((*where, "kind"), f"kind must be one of {', '.join(KINDS)}, got {excerpt(kind)}")
    versions: dict[str, Version | None] = {}
    for fld in ("deprecated", "removed", "changed"):
        if fld in r:
            versions[fld] = _version(r[fld], (*where, fld), p)
    dep, rem = versions.get("deprecated"), versions.get("removed")
    if dep is not None and rem is not None and rem <= dep:
        p.add((*where, "removed"), f"removed ({r['removed']}) must be later than deprecated ({r['deprecated']})")
    default_old = default_new = None
    if kind == "default-changed":
        if "changed" not in r:
            p.add((*where, "changed"), "a default-changed rule needs the version where the default changed")
        if r.get("when") != "absent":
            p.add((*where, "when"), "a default-changed rule needs 'when: absent'")
        if "deprecated" in r or "removed" in r:
            p.add(where, "a default-changed rule uses changed, not deprecated/removed")
        dflt = r.get("default")
        if not isinstance(dflt, dict) or set(dflt) != {"old", "new"}:
            p.add((*where, "default"), "default must be {old: ..., new: ...}")
        else:
            default_old, default_new = dflt["old"], dflt["new"]
    else:
        if "deprecated" not in r and "removed" not in r:
            p.add(where, "a rule needs deprecated and/or removed")
        for fld in ("changed", "default", "when"):
            if fld in r:
                p.add((*where, fld), f"{fld} belongs to kind: default-changed")
    if "value" in r and "value_regex" in r:
        p.add((*where, "value"), "use value or value_regex, not both")
    if "value" in r and isinstance(r["value"], (dict, list)):
        p.add((*where, "value"), "value must be a scalar")
    regex = None
    if "value_regex" in r and not isinstance(r["value_regex"], str):
        p.add((*where, "value_regex"), "value_regex must be a string (quote it)")
    elif "value_regex" in r:
        try:
            re.compile(str(r["value_regex"]))  # validate now; compiled again lazily when first used
            regex = LazyRegex(str(r["value_regex"]))
        except re.error as exc:
            p.add((*where, "value_regex"), f"invalid regex in rule {shown(rid)}: {exc}")
        else:
            problem = None
            if untrusted(product.source):
                from scanner.regexcheck import backtracking_problem  # only for a matrix named by a tool config

                problem = backtracking_problem(r["value_regex"])
            if problem:
                p.add((*where, "value_regex"), f"regex of rule {shown(rid)} is refused: {problem}. A matrix named by "
                                               "the tool config may only hold regexes that match in linear time: "
                                               "anchor it (^...), or keep each repeat from matching what follows it; "
                                               "pass the file with --matrix to trust it")
            elif nested_repeat(str(r["value_regex"])):
                p.add((*where, "value_regex"), f"regex of rule {shown(rid)} nests unbounded repeats (like (a+)+), "
                                               "which can take exponential time; rewrite it without the nesting")
    where_preds: list[tuple[tuple[Part, ...], str]] = []
    if "where" in r:
        if not isinstance(r["where"], dict) or not r["where"]:
            p.add((*where, "where"), "where must map sibling keys to values")
        else:
            from scanner.model import value_text

            for k, v in r["where"].items():
                if isinstance(v, (dict, list)):
                    p.add((*where, "where", k), "the expected value must be a scalar")
                    continue
                try:
                    where_preds.append((parse_pattern(str(k)), value_text(v) or ""))
                except KeyPathError as exc:
                    p.add((*where, "where", k), str(exc))
    fix = r.get("fix", {"action": "none"})
    action, to, safe = "none", None, True
    if not isinstance(fix, dict):
        p.add((*where, "fix"), "fix must be a mapping such as {action: delete}")
    else:
        _unknown(fix, FIX_FIELDS, (*where, "fix"), p)
        action = fix.get("action", "none")
        if action not in FIX_ACTIONS:
            p.add((*where, "fix", "action"), f"action must be one of {', '.join(FIX_ACTIONS)}, got {excerpt(action)}")
        to, safe = fix.get("to"), bool(fix.get("safe", True))
        if not isinstance(fix.get("safe", True), bool):
            p.add((*where, "fix", "safe"), "safe must be true or false")
        if action in ("rename", "set-value") and to is None:
            p.add((*where, "fix", "to"), f"a {action} fix needs 'to'")
        if action == "rename" and to is not None:
            problem = _rename_target_problem(r["key"] if isinstance(r.get("key"), str) else "", to)
            if problem:
                p.add((*where, "fix", "to"), problem)
    for fld in ("replacement", "removal_planned", "docs"):
        if r.get(fld) is not None and not isinstance(r[fld], (str, int, float)):
            p.add((*where, fld), f"{fld} must be a string")
    for fld in ("docs", "source"):
        val = r.get(fld)
        if isinstance(val, str) and (not val.isprintable() or not re.match(r"^(https?://|file:|[\w./-]+$)", val)):
            p.add((*where, fld), f"{fld} must be a URL")
    if len(p.items) > before:
        return None
    replacement = r.get("replacement")
    if replacement is None and action == "rename":
        replacement = str(to)
    return Rule(
        id=str(rid), product=product.id, file=str(r["file"]), key=str(r["key"]), parts=parts,
        message=str(r["message"]).strip(), source=str(r["source"]), origin=origin, kind=str(kind),
        deprecated=r.get("deprecated"), removed=r.get("removed"), changed=r.get("changed"),
        default_old=default_old, default_new=default_new, value=r.get("value"), has_value="value" in r,
        value_regex=regex, where=tuple(where_preds),
        replacement=None if replacement is None else str(replacement),
        fix_action=str(action), fix_to=to, fix_safe=safe, docs=r.get("docs"),
        removal_planned=None if r.get("removal_planned") is None else str(r.get("removal_planned")),
    )


def nested_repeat(pattern: str) -> bool:
    """True when an unbounded repeat contains another (``(a+)+``, ``(\\w*)*``): catastrophic backtracking."""
    try:
        import re._parser as sre  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # Python 3.10
        import sre_parse as sre  # type: ignore[no-redef,unused-ignore]
    try:
        tree = sre.parse(pattern)
    except Exception:
        return False
    unbounded = sre.MAXREPEAT

    def walk(items: Any, inside: bool) -> bool:
        for op, arg in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _lo, hi, sub = arg
                if hi == unbounded or hi > 100:
                    if inside or walk(sub, True):
                        return True
                elif walk(sub, inside):
                    return True
            elif name == "SUBPATTERN":
                if walk(arg[-1], inside):
                    return True
            elif name == "BRANCH":
                if any(walk(b, inside) for b in arg[1]):
                    return True
            elif name in ("ASSERT", "ASSERT_NOT") and walk(arg[1], inside):
                return True
        return False

    return walk(tree, False)


def _rename_target_problem(key: str, to: object) -> str | None:
    """A rename target is a literal path, except that it may repeat a wildcard of the key at the same place."""
    if not isinstance(to, str):
        return f"{excerpt(to)}: a rename target must be a key path (a string)"
    try:
        to_parts, key_parts = parse_pattern(to), parse_pattern(key)
    except KeyPathError as exc:
        return str(exc)
    for i, part in enumerate(to_parts):
        if part.kind == "lit":
            continue
        if i >= len(key_parts) or key_parts[i] != part or part.kind in ("deep",):
            return (f"{excerpt(to)}: a rename target may only repeat a wildcard of the key at the same position "
                    "(it is filled from the matched key)")
    return None


@dataclass
class Matrix:
    """Every loaded product, merged, with a rule index by id."""

    products: dict[str, Product] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)

    def product(self, pid: str) -> Product | None:
        return self.products.get(pid)


def merge_matrices(files: Iterable[tuple[MatrixFile, str]]) -> Matrix:
    """Validate and merge matrix files in order; raise MatrixError with every problem found."""
    matrix = Matrix()
    problems: list[str] = []
    rule_origin: dict[str, str] = {}
    for mf, source in files:
        product, errs = build_product(mf, source, matrix.products)
        problems.extend(errs)
        problems.extend(_duplicate_ids(mf, rule_origin))
        if product is None or errs:
            continue
        base = matrix.products.get(product.id)
        if base is not None and "releases" not in mf.data:
            base.rules.extend(product.rules)
            base.files.update(product.files)
        else:
            if base is not None:
                product.rules = base.rules + product.rules
            matrix.products[product.id] = product
    for product in matrix.products.values():
        problems.extend(_check_product(product))
    if problems:
        raise MatrixError(problems)
    for product in matrix.products.values():
        for rule in product.rules:
            matrix.rules[rule.id] = rule
    return matrix


def _duplicate_ids(mf: MatrixFile, seen: dict[str, str]) -> list[str]:
    """Rule ids an earlier file (or rule) already defined; checked even when the file has other errors."""
    out = []
    rules = mf.data.get("rules")
    for i, r in enumerate(rules if isinstance(rules, list) else []):
        rid = r.get("id") if isinstance(r, dict) else None
        if not isinstance(rid, str):
            continue
        if rid in seen:
            from scanner.yamlnodes import line_of

            line = line_of(mf.text, ("rules", i, "id")) or 1
            out.append(f"{mf.path}:{line}: rules[{i}].id: duplicate rule id {shown(rid)} (also defined in {seen[rid]})")
        else:
            seen[rid] = mf.path
    return out


def _check_product(product: Product) -> list[str]:
    """Cross-field checks after merging: versions are releases, no rename cycles."""
    out = []
    known = {r.version for r in product.releases}
    parsed = {r.parsed for r in product.releases}
    for rule in product.rules:
        for fld in ("deprecated", "removed", "changed"):
            v = getattr(rule, fld)
            if v is not None and v not in known and Version(v) not in parsed:
                out.append(f"{rule.origin}: rule {rule.id}: {fld} {excerpt(v)} is not a listed release of {product.id}")
    edges: dict[tuple[str, str], str] = {}
    for rule in product.rules:
        if rule.fix_action == "rename" and all(p.kind == "lit" for p in rule.parts):
            edges[(rule.file, rule.key)] = str(rule.fix_to)
    for (fname, start), _ in edges.items():
        seen, cur = {start}, edges.get((fname, start))
        while cur is not None:
            if cur in seen:
                out.append(f"{product.origin}: rename cycle in {product.id} starting at {excerpt(start)}")
                break
            seen.add(cur)
            cur = edges.get((fname, cur))
    return out


def load_matrix_paths(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into matrix files (``*.yaml``/``*.yml``, sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(q for q in path.iterdir() if q.suffix in (".yaml", ".yml") and q.is_file()))
        else:
            out.append(path)
    return out
