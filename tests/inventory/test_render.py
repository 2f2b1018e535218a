"""render_inventory: the text table with 'also:' lines, and JSON schema 1, with and without --all."""

from __future__ import annotations

import json

from scanner.inventory import Inventory, Package, render_inventory
from scanner.model import Installed

INVENTORY = Inventory(
    products={
        "django": Installed("django", "4.1.13", ".venv (environment)", "exact",
                            (("4.2.7", "poetry.lock:13"), ("4.1.13", "requirements.txt:2"))),
        "python": Installed("python", "3.9", "pyproject.toml:3", "lower-bound"),
    },
    packages=[
        Package("django", "pypi", "4.1.13", "exact", ".venv (environment)"),
        Package("asgiref", "pypi", "3.8.1", "exact", ".venv (environment)"),
        Package("django", "pypi", "4.2.7", "exact", "poetry.lock:13"),
        Package("asgiref", "pypi", "3.7.0", "exact", "poetry.lock:5"),
        Package("typescript", "npm", "4.9.5", "exact", "package-lock.json:8"),
        Package("python", "runtime", "3.9", "lower-bound", "pyproject.toml:3"),
    ],
    errors=[("yarn.lock", "line 3: expected 'name@range:'")],
    claimed={("pypi", "django"), ("runtime", "python")},
)


def test_text_table() -> None:
    assert render_inventory(INVENTORY, {"django": "5.1"}, "text", False) == (
        "PRODUCT  VERSION  KIND         SOURCE               LATEST\n"
        "django   4.1.13   exact        .venv (environment)  5.1\n"
        "    also: 4.2.7 from poetry.lock:13\n"
        "python   3.9      lower-bound  pyproject.toml:3     -\n"
        "error: yarn.lock: line 3: expected 'name@range:'\n"
    )


def test_text_table_all() -> None:
    lines = render_inventory(INVENTORY, {}, "text", True).splitlines()
    assert [line.split()[0] for line in lines] == [
        "PRODUCT", "django", "also:", "python", "asgiref", "also:", "typescript", "error:"]
    assert lines[5] == "    also: 3.7.0 from poetry.lock:5"


def test_text_empty() -> None:
    text = render_inventory(Inventory({}, [], []), {}, "text", True)
    assert text.startswith("No versions found")


def test_json() -> None:
    doc = json.loads(render_inventory(INVENTORY, {"django": "5.1"}, "json", False))
    assert doc["version"] == 1
    assert doc["inventory"][0] == {
        "product": "django", "version": "4.1.13", "kind": "exact", "source": ".venv (environment)",
        "latest": "5.1", "others": [{"version": "4.2.7", "source": "poetry.lock:13"},
                                    {"version": "4.1.13", "source": "requirements.txt:2"}]}
    assert [i["product"] for i in doc["inventory"]] == ["django", "python"]
    assert doc["errors"] == [{"file": "yarn.lock", "message": "line 3: expected 'name@range:'"}]


def test_json_all() -> None:
    doc = json.loads(render_inventory(INVENTORY, {}, "json", True))
    assert [(i["product"], i["version"], i.get("ecosystem")) for i in doc["inventory"]] == [
        ("django", "4.1.13", None), ("python", "3.9", None),
        ("asgiref", "3.8.1", "pypi"), ("typescript", "4.9.5", "npm")]
    assert doc["inventory"][2]["others"] == [{"version": "3.7.0", "source": "poetry.lock:5"}]
