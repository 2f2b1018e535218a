"""run_plan end to end on the acme fixture: the acceptance scenario and its edges, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.errors import UsageError
from scanner.options import Options
from scanner.plan import run_plan
from tests.conftest import ACME, write_tree

MATRIX = Path(__file__).parent / "fixtures" / "matrix"


def options(*installed: tuple[str, str], targets: tuple[tuple[str, str], ...] = (("acme", "3.0"),),
            **more: Any) -> Options:
    return Options(paths=(".",), matrix_paths=(str(MATRIX),), builtin_matrix=False, plugin_matrix=False,
                   use_inventory=False, installed=installed, targets=targets, **more)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ACME / "repo")


def plans(opts: Options) -> dict[str, dict[str, Any]]:
    text, code = run_plan(opts, "json")
    assert code == 0
    return {p["product"]: p for p in json.loads(text)["plans"]}


@pytest.mark.usefixtures("in_repo")
def test_lts_plan_puts_each_breaking_finding_under_its_hop() -> None:
    acme = plans(options(("acme", "1.0"), ("python", "3.12")))["acme"]
    assert acme["path"] == ["1.2", "2.2", "3.0"]
    hops = {h["to"]: h for h in acme["hops"]}
    assert [h["from"] for h in acme["hops"]] == ["1.0", "1.2", "2.2"]
    assert {f["rule"] for f in hops["3.0"]["breaking"]} == {"ACME001", "ACME004", "ACME007"}
    assert {f["rule"] for f in hops["2.2"]["breaking"]} == {"ACME003"}
    assert hops["1.2"]["breaking"] == [] and hops["1.2"]["deprecated"] == []
    assert {f["rule"] for f in hops["2.2"]["deprecated"]} == {"ACME001", "ACME005", "ACME007"}
    assert {f["rule"] for f in hops["3.0"]["deprecated"]} == {"ACME002", "ACME006"}  # ACME004 only breaks
    assert [f["rule"] for f in hops["2.2"]["defaults"]] == ["ACME008"]  # changed in 2.1, skipped by the path
    assert [f["rule"] for f in acme["now"]["deprecated"]] == ["ACME003"]
    assert acme["blocked_by"] == []
    assert hops["3.0"]["requires"][0] | {"source": None} == {
        "product": "python", "requires": ">=3.10", "release": "3.0", "installed": "3.12", "source": None,
        "satisfied": True, "unblocked_by": "3.10"}
    assert hops["3.0"]["fixable"] == 3  # ACME001, ACME004, ACME006 rename; ACME002 and ACME007 are by hand
    fix = next(x for x in hops["3.0"]["fixes"] if x["rule"] == "ACME004")
    assert (fix["change"], fix["revert"]) == ("rename core.sql_conn to database.sql_conn",
                                              "rename database.sql_conn back to core.sql_conn")


@pytest.mark.usefixtures("in_repo")
def test_an_old_python_blocks_the_plan_and_names_the_upgrade() -> None:
    acme = plans(options(("acme", "1.0"), ("python", "3.9")))["acme"]
    assert acme["blocked_by"] == [{"product": "python", "requires": ">=3.10", "release": "3.0",
                                   "installed": "3.9", "source": "--installed", "satisfied": False,
                                   "unblocked_by": "3.10"}]
    assert acme["path"] == ["1.2", "2.2", "3.0"]  # still planned, so the team sees the whole road


@pytest.mark.usefixtures("in_repo")
def test_without_target_every_installed_product_goes_to_latest() -> None:
    got = plans(options(("acme", "2.2"), ("python", "3.9"), targets=()))
    assert {p: (x["installed"], x["target"], x["path"]) for p, x in got.items()} == {
        "acme": ("2.2", "3.0", ["3.0"]), "python": ("3.9", "3.12", ["3.12"])}


@pytest.mark.usefixtures("in_repo")
def test_latest_and_bare_latest() -> None:
    assert plans(options(("acme", "2.2"), targets=(("acme", "latest"),)))["acme"]["target"] == "3.0"
    got = plans(options(("acme", "2.2"), ("python", "3.10"), targets=(("acme", "2.5"),),
                        target_all_latest=True))
    assert (got["acme"]["target"], got["python"]["target"]) == ("2.5", "3.12")


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize(("opts", "message"), [
    # a plan walks known releases: a target past them is refused (a scan judges it at the newest, with a warning)
    (options(("acme", "1.0"), targets=(("acme", "9.9"),)), r"acme=9\.9: newer than every known release .*1\.0, 1\.1"),
    (options(("acme", "1.0"), targets=(("acme", "2.4"),)), r"acme=2\.4: not a known release .*2\.2, 2\.5"),
    (options(("acme", "2.2"), targets=(("acme", "2.0"),)), "downgrade from the installed 2.2"),
    (options(("acme", "1.0"), targets=(("acmee", "2.0"),)), "--target acmee: unknown product"),
    (options(("acmee", "1.0")), "--installed acmee: unknown product"),
])
def test_refusals_are_usage_errors(opts: Options, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("text", "markdown", "html"):
        with pytest.raises(UsageError, match=message):
            run_plan(opts, fmt)
    text, code = run_plan(opts, "json")  # json keeps `| jq` working: the error as a document
    assert code == 2
    assert json.loads(text)["plans"] == [] and json.loads(text)["errors"][0]["file"] is None
    assert "cfgscan: error:" in capsys.readouterr().err


def test_suppressed_findings_stay_out_of_the_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"acme.yaml": """
        server:
          old_port: 1  # cfgscan: ignore[ACME001] moved by the platform team
        metadata:
          annotations:
            acme.io/legacy.class: x
        """})
    monkeypatch.chdir(tmp_path)
    acme = plans(options(("acme", "2.2"), ("python", "3.12")))["acme"]
    assert [f["rule"] for f in acme["hops"][0]["breaking"]] == ["ACME007"]


@pytest.mark.usefixtures("in_repo")
def test_markdown_and_html_carry_the_hops_and_rules() -> None:
    opts = options(("acme", "1.0"), ("python", "3.12"))
    md, _ = run_plan(opts, "markdown")
    assert "### Hop 2: 1.2 → 2.2 (LTS)" in md
    assert "- [ ] [acme.yaml:3](acme.yaml#L3) ACME001 " in md
    page, _ = run_plan(opts, "html")
    low = page.lower()
    assert low.startswith("<!doctype html>") and "<script src" not in low and "<link" not in low
    assert "http://" not in low.split("</style>")[0] and "@import" not in low
    assert '<td class="mark rem">removed 2.0</td>' in page  # ACME003: removed in 2.0, in the column of 2.2
    text, _ = run_plan(opts, "text")
    assert "hop 3: 2.2 → 3.0, cfgscan can fix 3 of 5" in text
