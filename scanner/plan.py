"""The upgrade planner: the path from installed to target through the matrix, and each hop's findings."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Mapping

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from scanner.errors import ScannerError, UsageError
from scanner.match import known_release, parse_version
from scanner.matrix import Matrix, Product, Release
from scanner.model import FileError, Finding, Installed
from scanner.options import Options
from scanner.planreport.interface import Hop, PlanReport, ProductPlan, Requirement


def release_of(product: Product, version: Version) -> Release | None:
    """The listed release a version belongs to: the highest release not above it."""
    found = None
    for r in product.releases:
        if r.parsed <= version:
            found = r
    return found


def plan_path(product: Product, installed: Version, target: Version) -> list[tuple[str, Release]]:
    """Landing versions (and their releases) from installed to target, following step and stops."""
    last = release_of(product, target)
    if last is None or target <= installed:
        return []
    between = [r for r in product.releases if installed < r.parsed < last.parsed]
    if product.step == "each":
        chosen = between
    elif product.step == "lts":
        chosen = [r for r in between if r.lts]
    elif product.step == "major":
        chosen = [r for i, r in enumerate(between) if r.parsed.major < last.parsed.major
                  and (i + 1 == len(between) or between[i + 1].parsed.major != r.parsed.major)]
    else:
        chosen = []
    stops = set(product.stops)
    chosen = [r for r in between if r in chosen or r.version in stops]
    final = last.version if target == last.parsed else str(target)
    return [(r.version, r) for r in chosen] + [(final, last)]


def check_requires(release: Release, matrix: Matrix, installed: Mapping[str, Installed]) -> list[Requirement]:
    out = []
    for prereq, spec in release.requires:
        spec_set = SpecifierSet(spec)
        inst = installed.get(prereq)
        satisfied: bool | None = None
        if inst is not None:
            try:
                satisfied = spec_set.contains(Version(inst.version), prereleases=True)
            except InvalidVersion:
                satisfied = None
        listed = matrix.products.get(prereq)
        unblocked = next((r.version for r in listed.releases if spec_set.contains(r.parsed, prereleases=True)),
                         None) if listed is not None else None
        out.append(Requirement(prereq, spec, release.version, inst.version if inst else None,
                               inst.source if inst else None, satisfied, unblocked))
    return out


def _landing(version: str | None, bounds: list[Version]) -> int | None:
    """0 when already reached at installed, i when hop i's (from, to] holds it, None beyond the target."""
    if version is None:
        return None
    v = Version(version)
    return next((i for i, bound in enumerate(bounds) if v <= bound), None)


def _at(f: Finding, target: str, status: str) -> Finding:
    """The finding as judged for one hop's target, so each list reads on its own."""
    severity = "deprecated" if status.startswith("deprecated") else "breaking"
    return dataclasses.replace(f, severity=severity, status=status, target=target)


def place_findings(plan: ProductPlan, findings: Iterable[Finding]) -> None:
    """Put each finding in ``now`` or under the hop whose (from, to] holds its removal or deprecation."""
    if plan.installed is None:
        return  # no start, no path: the plan's note asks for the installed version
    bounds = [Version(plan.installed), *(Version(v) for v in plan.path)]
    hops = [None, *plan.hops]
    for f in findings:
        rule = plan.rules.get(f.rule)
        rem_at = _landing(f.removed_in, bounds)  # for default-changed findings: the version it changed in
        dep_at = None
        if rule is not None and rule.kind == "default-changed":
            if (hop := hops[rem_at or 0]) is not None:
                hop.defaults.append(_at(f, hop.end, "default-changes-at-target"))
        else:
            dep_at = _landing(f.deprecated_in, bounds)
            if rem_at == 0:
                plan.now_breaking.append(_at(f, f.target, "broken-now"))
            elif dep_at == 0:
                plan.now_deprecated.append(_at(f, f.target, "deprecated-now"))
            if (hop := hops[rem_at or 0]) is not None:
                hop.breaking.append(_at(f, hop.end, "breaks-at-target"))
            if dep_at != rem_at and (hop := hops[dep_at or 0]) is not None:
                hop.deprecated.append(_at(f, hop.end, "deprecated-at-target"))
        plan.findings.append(f)
        plan.marks[f.fingerprint] = (dep_at, rem_at)


def build_plan(product: Product, matrix: Matrix, installed: Mapping[str, Installed], target_text: str,
               findings: Iterable[Finding] = (), explicit: bool = True) -> ProductPlan:
    """The plan of one product; raises UsageError for an unknown target release or an explicit downgrade
    (an installed version newer than the latest known release is only noted when the target is implicit)."""
    target = known_release(product, target_text)
    if target_text == "latest":
        target_text = product.releases[-1].version
    inst = installed.get(product.id)
    plan = ProductPlan(product.id, product.title, product.step, inst.version if inst else None,
                       inst.source if inst else None, target_text)
    plan.rules = {r.id: r for r in product.rules}
    plan.formats = {r.id: product.files[r.file].format for r in product.rules if r.file in product.files}
    if inst is None:
        plan.notes.append(f"the installed version of {product.id} is unknown: pass --installed "
                          f"{product.id}=VERSION (or pin it) to plan the path")
        return plan
    start = parse_version(inst.version, f"installed {product.id}")
    if target < start and not explicit:
        plan.notes.append(f"{product.id} {inst.version} ({inst.source}) is newer than the latest known "
                          f"release {target_text}: nothing to plan")
        place_findings(plan, findings)
        return plan
    if target < start:
        raise UsageError(f"--target {product.id}={target_text}: a downgrade from the installed "
                         f"{inst.version} ({inst.source}); cfgscan plans upgrades only")
    if inst.kind != "exact":
        what = "a lower bound" if inst.kind == "lower-bound" else inst.kind
        plan.notes.append(f"the installed {product.id} {inst.version} is {what} ({inst.source}); pass "
                          f"--installed {product.id}=VERSION for an exact plan")
    if release_of(product, start) is None:
        plan.notes.append(f"{product.id} {inst.version} is older than every listed release; "
                          f"the path starts at {product.releases[0].version}")
    steps = plan_path(product, start, target)
    plan.path = [text for text, _ in steps]
    previous = inst.version
    for text, release in steps:
        hop = Hop(previous, text, lts=release.lts, stop=release.version in product.stops)
        hop.requires = check_requires(release, matrix, installed)
        plan.hops.append(hop)
        previous = text
    _collect_blockers(plan)
    if not steps:
        plan.notes.append(f"{product.id} is already at {target_text}: nothing to upgrade")
    place_findings(plan, findings)
    return plan


def _collect_blockers(plan: ProductPlan) -> None:
    seen: set[tuple[str, str]] = set()
    for hop in plan.hops:
        for req in hop.requires:
            if (req.product, req.requires) in seen:
                continue
            seen.add((req.product, req.requires))
            if req.satisfied is False:
                plan.blocked_by.append(req)
            elif req.satisfied is None:
                plan.notes.append(f"{plan.product} {req.release} requires {req.product} {req.requires}; the "
                                  f"installed {req.product} version is unknown (pass --installed "
                                  f"{req.product}=VERSION)")


def _installed(options: Options, inventory: Mapping[str, Installed]) -> dict[str, Installed]:
    """--installed beats the inventory, as in a scan."""
    out = {pid: Installed(pid, ver, "--installed", "exact") for pid, ver in options.installed}
    for pid, inst in inventory.items():
        out.setdefault(pid, inst)
    return out


def _unknown_product(flag: str, pid: str, matrix: Matrix) -> UsageError:
    return UsageError(f"{flag} {pid}: unknown product (known: {', '.join(sorted(matrix.products))})")


def _targets(options: Options, matrix: Matrix, installed: Mapping[str, Installed]) -> dict[str, str]:
    """Product -> target text: the --target pairs, else every installed product at its latest release."""
    prerequisites = {p for prod in matrix.products.values() for r in prod.releases for p, _ in r.requires}
    for pid, _ in options.installed:
        if pid not in matrix.products and pid not in prerequisites | {"python", "node"}:
            raise _unknown_product("--installed", pid, matrix)
    targets: dict[str, str] = {}
    for pid, text in options.targets:
        if pid not in matrix.products:
            raise _unknown_product("--target", pid, matrix)
        targets[pid] = text
    if options.target_all_latest or not options.targets:
        for pid, product in matrix.products.items():  # an assumed version (today's date) is no start
            if pid in installed and installed[pid].kind != "assumed" and product.releases:
                targets.setdefault(pid, "latest")
    return targets


def build_report(options: Options) -> PlanReport:
    """Load the matrix and inventory, scan once for every planned target, and plan each product."""
    from scanner.inventory_bridge import inventory_products
    from scanner.scan import load_matrix, run_scan

    matrix = load_matrix(options)
    inventory = inventory_products(options, matrix) if options.use_inventory else {}
    installed = _installed(options, inventory)
    targets = _targets(options, matrix, installed)
    # paths first: an unknown target or a downgrade fails before any file is read
    plans = {pid: build_plan(matrix.products[pid], matrix, installed, text, explicit=pid in dict(options.targets))
             for pid, text in sorted(targets.items())}
    scan_options = dataclasses.replace(
        options, targets=tuple(targets.items()), target_all_latest=False, baseline=None, show_future=False,
        installed=tuple((p, v) for p, v in options.installed if p in matrix.products))
    result = run_scan(scan_options, matrix, inventory)
    for pid, plan in plans.items():
        place_findings(plan, [f for f in result.active() if f.product == pid])
    report = PlanReport(list(plans.values()), list(result.errors))
    if not targets:
        report.notes.append("no installed product found: pass --installed PRODUCT=VERSION and --target "
                            "PRODUCT=VERSION")
    return report


def run_plan(options: Options, fmt: str) -> tuple[str, int]:
    """The ``plan`` command: the report in ``fmt`` (text, json, markdown, html) and the exit code (0).

    An unknown product, an unknown target release or a downgrade raises UsageError (exit 2); with
    ``json`` it becomes a JSON document with the error instead (exit 2, the line also on stderr), so
    that ``--format json | jq`` always has JSON to read.
    """
    from scanner.planreport import render_plan

    try:
        report = build_report(options)
    except ScannerError as exc:
        if fmt != "json":
            raise
        sys.stderr.write(f"cfgscan: error: {exc}\n")
        return render_plan(PlanReport([], [FileError("", str(exc))]), fmt), exc.exit_code
    return render_plan(report, fmt), 0
