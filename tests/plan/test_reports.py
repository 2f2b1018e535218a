"""The plan renderers on hand-built reports: escaping, links, empty plans, the JSON shape."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from scanner.errors import UsageError
from scanner.model import FileError, Installed
from scanner.plan import build_plan
from scanner.planreport import render_plan
from scanner.planreport.interface import PlanReport
from scanner.planreport.markdown import md
from tests.plan.builders import finding, matrix, product

HOSTILE = '<img src=x onerror="alert(1)">'


def report() -> PlanReport:
    p = product("p", ["1.0", "2.0"], "each", requires={"2.0": (("python", ">=3.10"),)})
    f = finding("R1", deprecated="1.0", removed="2.0", file=f"conf/{HOSTILE}.yaml", key=f"a.{HOSTILE}",
                value=HOSTILE, fix="delete")
    versions = {"p": Installed("p", "1.0", "x"), "python": Installed("python", "3.9", "y")}
    plan = build_plan(p, matrix(p), versions, "2.0", [f])
    return PlanReport([plan], [FileError(f"bad{HOSTILE}.yaml", HOSTILE, 2)])


def test_html_escapes_everything_from_files() -> None:
    page = render_plan(report(), "html")
    assert "<img" not in page and "onerror=\"" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert 'href="conf/%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E.yaml#L3"' in page


def test_html_is_one_self_contained_page() -> None:
    page = render_plan(report(), "html")
    assert page.count("<style>") == 1 and "<script" not in page and "<link" not in page
    assert "url(" not in page and "@import" not in page and "@font-face" not in page


class TagBalance(HTMLParser):
    VOID = frozenset({"meta", "input", "br", "img", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()


def test_html_tags_are_balanced() -> None:
    parser = TagBalance()
    parser.feed(render_plan(report(), "html"))
    assert parser.open == []


def test_markdown_escapes_and_links_with_a_base() -> None:
    text = render_plan(report(), "markdown", link_base="../")
    assert re.search(r"(?<!\\)<img", text) is None and "\\<img" in text
    assert "(../conf/%3Cimg%20src%3Dx%20onerror%3D%22alert%281%29%22%3E.yaml#L3)" in text
    assert "**Blocked:** p 2.0 requires python \\>=3.10" in text


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a|b", "a\\|b"), ("USE_L10N", "USE_L10N"), ("_x_", "\\_x\\_"), ("[x](y)", "\\[x\\](y)"), ("a\nb", "a b"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md(raw) == escaped


def test_json_shape() -> None:
    doc = json.loads(render_plan(report(), "json"))
    assert doc["version"] == 1
    (plan,) = doc["plans"]
    assert set(plan) >= {"product", "installed", "target", "path", "hops", "blocked_by"}
    (hop,) = plan["hops"]
    assert set(hop) >= {"from", "to", "breaking", "deprecated", "defaults", "requires", "fixable"}
    assert hop["breaking"][0]["rule"] == "R1"
    assert hop["breaking"][0]["fix"] == {"action": "delete", "safe": True}
    assert hop["fixes"][0]["revert"] == f"restore a.{HOSTILE} = {json.dumps(HOSTILE)}"
    assert plan["blocked_by"][0]["unblocked_by"] is None  # python is not in this matrix
    assert doc["errors"][0]["line"] == 2


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_an_empty_report_renders(fmt: str) -> None:
    out = render_plan(PlanReport([], notes=["no installed product found"]), fmt)
    assert "no installed product found" in out


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="plan reports are text, json, markdown, html"):
        render_plan(PlanReport([]), "sarif")
