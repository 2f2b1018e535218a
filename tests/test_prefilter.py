"""The literal prefilter never costs a finding: the whole test corpus, scanned with and without it, agrees."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import scanner.parallel as parallel
import scanner.scan as scan_module
from scanner.discover import ClaimIndex, find_config_files
from scanner.match import judge, match_occurrences
from scanner.matrix import Matrix
from scanner.matrix_sources import load_all
from scanner.options import Options
from scanner.parsers import get_parser
from scanner.prefilter import Prefilter, live_indexes, required_literals, rule_needle, value_spellable
from scanner.scan import build_indexes, make_finding, resolve_versions, run_scan
from scanner.textio import SkipFile, Unreadable, read_text

TESTS = Path(__file__).parent
CASES = TESTS / "matrix_cases"
FIXTURES = TESTS / "fixtures"
ACME_MATRIX = FIXTURES / "acme" / "acme-matrix.yaml"


def _scenarios() -> Iterator[tuple[str, Path, Options]]:
    """Every matrix case folder with its versions (also with --show-future), and the fixtures at several versions."""
    for case_file in sorted(CASES.glob("*/case.yaml")):
        for i, case in enumerate(yaml.safe_load(case_file.read_text())["cases"]):
            folder = case_file.parent / case["dir"]
            installed = tuple((k, str(v)) for k, v in (case.get("installed") or {}).items())
            targets = tuple((k, str(v)) for k, v in (case.get("target") or {}).items())
            for future in (False, True):
                options = Options(paths=(".",), installed=installed, targets=targets, fail_on="never",
                                  project_root=str(folder), use_inventory=False, show_future=future)
                yield f"{case_file.parent.name}-{i}{'-future' if future else ''}", folder, options
    acme = (str(ACME_MATRIX),)
    for name, installed, targets, latest in (
        ("latest", (), (), True),
        ("acme-1.0-to-3.0", (("acme", "1.0"),), (("acme", "3.0"),), False),
        ("acme-2.5", (("acme", "2.5"),), (), False),
    ):
        options = Options(paths=(".",), installed=installed, targets=targets, target_all_latest=latest,
                          fail_on="never", project_root=str(FIXTURES), use_inventory=False, matrix_paths=acme)
        yield f"fixtures-{name}", FIXTURES, options


SCENARIOS = list(_scenarios())


@pytest.fixture(scope="module")
def matrices() -> dict[tuple[str, ...], Matrix]:
    return {(): load_all(plugins=False), (str(ACME_MATRIX),): load_all(cli_paths=[ACME_MATRIX], plugins=False)}


def _key(f: Any) -> tuple[object, ...]:
    return (f.rule, f.file, f.line, f.column, f.status, f.severity, f.fingerprint, f.suppressed)


@pytest.mark.parametrize(("name", "folder", "options"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_no_file_the_prefilter_skips_could_hold_a_finding(
    name: str, folder: Path, options: Options, matrices: dict[tuple[str, ...], Matrix],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """For every file and spec the prefilter would not parse, a full parse with every rule finds nothing."""
    monkeypatch.chdir(folder)
    matrix = matrices[options.matrix_paths]
    versions = resolve_versions(matrix, options, {})
    indexes = build_indexes(matrix, options)
    prefilter = Prefilter.build(matrix, live_indexes(indexes, versions, options.show_future), versions,
                                options.show_future)
    skipped = 0
    for cand in find_config_files(options.paths, ClaimIndex(matrix), os.getcwd(), options.project_root):
        try:
            text = read_text(cand.path).text
        except (SkipFile, Unreadable):
            continue
        for claim in cand.claims:
            if claim.spec.contains and not any(s in text for s in claim.spec.contains):
                continue
            if prefilter.needs_parse(claim.product, claim.spec.name, text):
                continue
            skipped += 1
            v = versions.get(claim.product)
            if v is None:
                continue
            occurrences = get_parser(claim.spec.format)(text).occurrences
            hits = match_occurrences(indexes[(claim.product, claim.spec.name)], occurrences)
            findings = [make_finding(rule, occ, matrix.products[claim.product], v, cand.display, text, options)
                        for rule, occ in hits]
            assert [f for f in findings if f is not None] == [], (cand.display, claim.spec.name)


@pytest.mark.parametrize(("name", "folder", "options"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scan_with_and_without_the_prefilter_finds_the_same(
    name: str, folder: Path, options: Options, matrices: dict[tuple[str, ...], Matrix],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(folder)
    matrix = matrices[options.matrix_paths]
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)  # big-tree mode, where the prefilter is used
    options = dataclasses.replace(options, jobs=1)  # in this process
    with_prefilter = run_scan(options, matrix, {})
    with monkeypatch.context() as m:
        m.setattr(Prefilter, "needs_parse", lambda self, product, spec, text: True)
        m.setattr(scan_module, "_wanted", lambda indexes: None)  # and every key of every file made an occurrence
        without = run_scan(options, matrix, {})
    assert [_key(f) for f in with_prefilter.findings] == [_key(f) for f in without.findings]
    assert with_prefilter.files_parsed <= without.files_parsed
    # Parse errors are reported for every file that is parsed; a file with no candidate key may go unparsed.
    assert set(with_prefilter.errors) <= set(without.errors)


@pytest.mark.parametrize(("name", "folder", "options"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_occurrences_only_for_wanted_keys_find_the_same(
    name: str, folder: Path, options: Options, matrices: dict[tuple[str, ...], Matrix],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hook-sized scan (every file parsed) finds the same whether parsers skip unwanted keys or not."""
    monkeypatch.chdir(folder)
    matrix = matrices[options.matrix_paths]
    filtered = run_scan(options, matrix, {})
    monkeypatch.setattr(scan_module, "_wanted", lambda indexes: None)
    full = run_scan(options, matrix, {})
    assert [_key(f) for f in filtered.findings] == [_key(f) for f in full.findings]
    assert [(f.end_line, f.end_column, f.key, f.value) for f in filtered.findings] == [
        (f.end_line, f.end_column, f.key, f.value) for f in full.findings]
    assert filtered.errors == full.errors


def test_parsers_skip_the_keys_no_rule_names() -> None:
    from scanner.parsers.interface import Wanted
    from scanner.parsers.tomlfile import parse as parse_toml
    from scanner.parsers.yamlfile import parse as parse_yaml

    manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\n"
    wanted = Wanted(frozenset({"apiVersion", "kind"}), frozenset())
    assert [o.path for o in parse_yaml(manifest, wanted).occurrences] == [("apiVersion",), ("kind",)]
    assert len(parse_yaml(manifest).occurrences) == 6
    pyproject = '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["E"]\n'
    assert parse_toml(pyproject, Wanted(frozenset({"nothing"}), frozenset())).occurrences == []
    lint = parse_toml(pyproject, Wanted(frozenset({"select"}), frozenset({5}))).occurrences
    assert [(o.path, o.line) for o in lint] == [(("tool", "ruff", "lint", "select"), 4),
                                                (("tool", "ruff", "lint", "select", 0), 4)]
    assert parse_toml("a = [1\n", Wanted(frozenset(), frozenset())).errors  # still read: errors reported
    # a key some rule names, but no rule fires on its value: no positions worked out
    seen: list[tuple[object, object]] = []
    quiet = Wanted(frozenset({"select"}), frozenset({5}), lambda path, value: seen.append((path, value)) is not None)
    assert parse_toml(pyproject, quiet).occurrences == []
    assert (("tool", "ruff", "lint", "select", 0), "E") in seen


def test_the_corpus_exercises_the_prefilter(matrices: dict[tuple[str, ...], Matrix],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The equivalence above means something only if the prefilter does skip files of the corpus."""
    _, folder, options = next(s for s in SCENARIOS if s[0] == "kubernetes-0")
    monkeypatch.chdir(folder)
    matrix = matrices[()]
    versions = resolve_versions(matrix, options, {})
    prefilter = Prefilter.build(matrix, live_indexes(build_indexes(matrix, options), versions), versions)
    assert prefilter.needs_parse("kubernetes", "manifests", "apiVersion: apps/v1\nkind: Deployment\n") is False
    assert prefilter.needs_parse("kubernetes", "manifests", "apiVersion: extensions/v1beta1\nkind: Ingress\n")


def _prefilter_for(rules_yaml: str, tmp_path: Path, fmt: str = "yaml", **versions: str) -> Prefilter:
    matrix_file = tmp_path / "m.yaml"
    matrix_file.write_text(
        "schema: 1\nproduct: demo\ntitle: Demo\nreleases: [{version: '1.0'}, {version: '2.0'}]\n"
        f"files:\n  conf: {{format: {fmt}, include: ['**/demo.conf']}}\nrules:\n{rules_yaml}",
        encoding="utf-8")
    matrix = load_all(cli_paths=[matrix_file], builtin=False, plugins=False)
    options = Options(installed=(("demo", versions.get("installed", "1.0")),),
                      targets=(("demo", versions.get("target", "2.0")),), use_inventory=False)
    resolved = resolve_versions(matrix, options, {})
    return Prefilter.build(matrix, live_indexes(build_indexes(matrix, options), resolved), resolved)


RULE = "  - {{id: D1, file: conf, key: {key}, deprecated: '2.0', message: m, source: https://x.invalid{extra}}}\n"


def test_value_rules_search_for_the_value(tmp_path: Path) -> None:
    pf = _prefilter_for(RULE.format(key="spec.apiVersion", extra=", value: extensions/v1beta1"), tmp_path)
    assert pf.needles() == ["extensions/v1beta1"]
    assert not pf.needs_parse("demo", "conf", "spec:\n  apiVersion: apps/v1\n")
    assert pf.needs_parse("demo", "conf", "spec:\n  apiVersion: extensions/v1beta1\n")
    # A JSON or YAML escape could spell the value without its text appearing: such a file is parsed.
    assert pf.needs_parse("demo", "conf", 'spec: {apiVersion: "extensions\\/v1beta1"}\n')
    assert pf.needs_parse("demo", "conf", 'spec: {apiVersion: "extensions/v1be\\u0074a1"}\n')


def test_the_other_key_segments_must_appear_too(tmp_path: Path) -> None:
    pf = _prefilter_for(RULE.format(key="tool.poetry.name", extra=""), tmp_path, fmt="toml")
    assert pf.needles() == ["name"]
    assert not pf.needs_parse("demo", "conf", '[project]\nname = "x"\n')  # "name", but no poetry table
    assert pf.needs_parse("demo", "conf", '[tool.poetry]\nname = "x"\n')
    assert pf.needs_parse("demo", "conf", '[tool]\npoetry = {name = "x"}\n')
    # an escape could spell the missing segment: parsed
    assert pf.needs_parse("demo", "conf", '[project]\nname = "x"\n[tool."po\\u0065try"]\nname = "y"\n')
    # INI sections and options: case ignored
    (tmp_path / "ini").mkdir()
    ini = _prefilter_for(RULE.format(key="Tox.old_option", extra=""), tmp_path / "ini", fmt="ini")
    assert ini.needs_parse("demo", "conf", "[tox]\nOLD_OPTION = 1\n")
    assert not ini.needs_parse("demo", "conf", "[testenv]\nold_option = 1\n")


def test_a_rule_needing_only_its_needle_turns_the_conjunctions_off(tmp_path: Path) -> None:
    rules = RULE.format(key="tool.poetry.name", extra="") + RULE.replace("D1", "D2").format(key="name", extra="")
    pf = _prefilter_for(rules, tmp_path, fmt="toml")
    assert pf.needs_parse("demo", "conf", '[project]\nname = "x"\n')


def test_ini_option_names_are_case_insensitive(tmp_path: Path) -> None:
    pf = _prefilter_for(RULE.format(key="core.Old_Option", extra=""), tmp_path, fmt="ini")
    assert pf.needs_parse("demo", "conf", "[core]\nOLD_OPTION = 1\n")
    assert not pf.needs_parse("demo", "conf", "[core]\nnew_option = 1\n")


def test_python_rules_search_for_the_assigned_name(tmp_path: Path) -> None:
    rule = RULE.format(key="CACHES.*.BACKEND", extra=", value: django.core.cache.backends.memcached.MemcachedCache")
    pf = _prefilter_for(rule, tmp_path, fmt="python")
    assert pf.needles() == ["CACHES"]  # the value may be split by implicit string concatenation
    assert pf.needs_parse("demo", "conf", 'CACHES = {"default": {"BACKEND": "django.core.cache." "backends"}}\n')
    doc = '"""Settings."""\n'
    redis = 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}\n'
    assert not pf.needs_parse("demo", "conf", doc + redis)  # the name is there, the value is not
    assert pf.needs_parse("demo", "conf", doc + redis.replace("redis.RedisCache", "memcached.MemcachedCache"))
    assert pf.needs_parse("demo", "conf", doc + redis.replace('"BACKEND"', '"BACK" "END"'))
    assert pf.needs_parse("demo", "conf", doc + redis.replace('"BACKEND"', '"""BACK""" "END"'))
    assert pf.needs_parse("demo", "conf", doc + redis.replace('"BACKEND"', '"BACK"  # why\n  "END"'))
    assert pf.needs_parse("demo", "conf", doc + redis.replace("redis.RedisCache", "memc\\x61ched.MemcachedCache"))


def test_rules_that_cannot_fire_need_no_parse_and_absent_keys_need_one(tmp_path: Path) -> None:
    rule = RULE.format(key="a.b", extra="")
    assert _prefilter_for(rule, tmp_path, installed="1.0", target="1.0").spec(("demo", "conf")).parse == "never"
    absent = ("  - {id: D2, file: conf, key: a.c, kind: default-changed, changed: '2.0', when: absent, "
              "default: {old: 1, new: 2}, message: m, source: https://x.invalid}\n")
    upgrading = _prefilter_for(absent, tmp_path, installed="1.0", target="2.0")
    assert upgrading.needs_parse("demo", "conf", "anything: 1\n")
    staying = _prefilter_for(absent, tmp_path, installed="2.0", target="2.0")
    assert not staying.needs_parse("demo", "conf", "anything: 1\n")


@pytest.mark.parametrize(("pattern", "literals"), [
    (r"^actions/checkout@v2(\.|$)", (("actions/checkout@v2",), False)),
    (r"^macos-11(\.0)?$", (("macos-11",), False)),
    (r"(?i)::set-output\s", (("::set-output",), True)),
    (r"^AIRFLOW__CORE__EXECUTOR=\s*(Seq|Debug)", (("AIRFLOW__CORE__EXECUTOR=",), False)),
    (r"^ubuntu-20\.04$", (("ubuntu-20.04",), False)),
    (r"abcd?", (("abc",), False)),
    (r"^actions/(upload|download)-artifact@v3(\.|$)",
     (("actions/download-artifact@v3", "actions/upload-artifact@v3"), False)),
    (r"^actions/cache@v[12](\.|$)", (("actions/cache@v1", "actions/cache@v2"), False)),
    (r"\{(distshare|homedir)[}:]", (("{distshare:", "{distshare}", "{homedir:", "{homedir}"), False)),
    (r"(?m)^[ \t]*-U", (("-U",), False)),
    (r"(^|\s)--result-?log(=|\s|$)", (("--result",), False)),
    (r"^\s*(SequentialExecutor|DebugExecutor)\s*$", (("DebugExecutor", "SequentialExecutor"), False)),
    (r"ab+c", (("ab",), False)),
    (r"x{0,2}yz", (("yz",), False)),
    (r"^a|b", None),
    (r"^(?![A-Za-z])", None),
    (r"^(?!(?i:utf-8|utf8)$)", None),
    (r"\d+", None),
    (r"\S", None),
])
def test_required_literals(pattern: str, literals: tuple[tuple[str, ...], bool] | None) -> None:
    assert required_literals(pattern) == literals


@pytest.mark.parametrize("pattern", [
    r"^actions/(upload|download)-artifact@v3(\.|$)", r"\{(distshare|homedir)[}:]", r"(?m)^[ \t]*-U",
    r"(^|\s)--result-?log(=|\s|$)", r"ab+c", r"x{0,2}yz", r"(?i)::set-output\s", r"^a(b|cd)?e[fg]h",
])
def test_every_match_holds_one_of_the_literals(pattern: str) -> None:
    found = required_literals(pattern)
    assert found is not None
    alternatives, fold = found
    rx = re.compile(pattern)
    samples = ["actions/upload-artifact@v3", "actions/download-artifact@v3.1", "{distshare}", "{homedir:x}",
               "  -U pip", "--resultlog=x", "--result-log", "abbbc", "xxyz", "yz", "::SET-OUTPUT x", "aeg h",
               "abeh", "acdefh", "aefh"]
    for sample in samples:
        if rx.search(sample):
            text = sample.lower() if fold else sample
            assert any((a.lower() if fold else a) in text for a in alternatives), (pattern, sample)


@pytest.mark.parametrize(("text", "ok"), [
    ("extensions/v1beta1", True), ("macos-11", True), ("1.10", False), ("true", False), ("rue", False),
    ("2001-12-14", False), ("1e3", False), ("a b", False), ("it's", False), ("nan", False),
])
def test_only_values_that_can_only_be_spelled_verbatim_are_needles(text: str, ok: bool) -> None:
    assert value_spellable(text) is ok


def test_every_bundled_rule_has_a_needle_or_a_reason(matrices: dict[tuple[str, ...], Matrix]) -> None:
    """Bundled rules without a needle make their spec parse every file: keep that list short and deliberate."""
    without = []
    for product in matrices[()].products.values():
        for rule in product.rules:
            if rule.kind != "default-changed" and rule_needle(rule, product.files[rule.file].format) is None:
                without.append(rule.id)
    assert without == [], without


def test_judge_is_what_makes_a_rule_live(matrices: dict[tuple[str, ...], Matrix]) -> None:
    matrix = matrices[()]
    options = Options(installed=(("django", "5.2"),), targets=(("django", "5.2"),), use_inventory=False)
    versions = resolve_versions(matrix, options, {})
    live = live_indexes(build_indexes(matrix, options), versions)
    kept = {r.id for r in live[("django", "settings")].by_key.get("USE_L10N", [])}
    assert kept == {r.id for r in matrix.products["django"].rules
                    if r.key == "USE_L10N" and judge(r, versions["django"]) is not None}


def test_anchors_are_the_needles_endings_when_few() -> None:
    from scanner.prefilter import MAX_ANCHORS, anchors

    assert anchors(["extensions/v1beta1", "batch/v1beta1", "kubernetes.io/ingress.class"]) == ("beta1", "class")
    assert anchors(["extensions/v1beta1", "apps/v1beta2", "batch/v1beta1"]) == ("beta",)  # shared: one test
    assert anchors(["NAME", "X"]) == ("NAME", "X")
    assert anchors(["ab"], fold=True) == ("ab",) and anchors(["AB"], fold=True) == ("ab",)
    assert anchors([f"option_{i:02d}" for i in range(MAX_ANCHORS + 1)]) is None


def test_a_needle_past_the_anchors_is_still_found(tmp_path: Path) -> None:
    rules = "".join(RULE.replace("D1", f"D{i}").format(key="spec.apiVersion", extra=f", value: {v}")
                    for i, v in enumerate(["extensions/v1beta1", "apps/v1beta2"]))
    pf = _prefilter_for(rules, tmp_path)
    assert not pf.needs_parse("demo", "conf", "spec: {apiVersion: apps/v1}\n")
    assert pf.needs_parse("demo", "conf", "spec: {apiVersion: apps/v1beta2}\n")
    assert not pf.needs_parse("demo", "conf", "spec: {apiVersion: apps/v2beta2}\n")  # the anchor, not a needle
