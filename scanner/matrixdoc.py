"""Render docs/matrix.md: the bundled products, their rule counts and the releases they cover."""

from __future__ import annotations

from collections import Counter

from scanner.matrix import Matrix


def render_matrix_doc(matrix: Matrix) -> str:
    products = sorted(matrix.products.values(), key=lambda p: p.id)
    total = sum(len(p.rules) for p in products)
    lines = [
        "# The bundled matrix",
        "",
        "Generated from `matrix/*.yaml` by `scanner/matrixdoc.py`; a test keeps it in sync",
        "(regenerate with `CFGSCAN_REGENERATE=1 python -m pytest tests/test_matrix_doc.py`).",
        "",
        f"{len(products)} products, {total} rules. Every rule names the official source where its versions",
        "and replacement were verified (`cfgscan explain RULE` shows it).",
        "",
        "| product | title | releases covered | rules | removed | deprecated only | default changes | fixable "
        "| upgrade |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for p in products:
        kinds: Counter[str] = Counter()
        for r in p.rules:
            if r.kind == "default-changed":
                kinds["default"] += 1
            elif r.removed:
                kinds["removed"] += 1
            else:
                kinds["deprecated"] += 1
        fixable = sum(1 for r in p.rules if r.fix_action != "none")
        span = f"{p.releases[0].version} - {p.releases[-1].version} ({len(p.releases)})" if p.releases else "-"
        policy = p.step + (f", stops {', '.join(p.stops)}" if p.stops else "")
        lines.append(f"| `{p.id}` | {p.title} | {span} | {len(p.rules)} | {kinds['removed']} | "
                     f"{kinds['deprecated']} | {kinds['default']} | {fixable} | {policy} |")
    lines.append("")
    return "\n".join(lines)
