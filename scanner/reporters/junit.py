"""JUnit XML for CI test dashboards: a suite per product, a test case per finding, parse errors as errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from scanner.match import at_or_above
from scanner.reporters.escape import printable
from scanner.reporters.jsonout import document
from scanner.reporters.sarif import versions_sentence

if TYPE_CHECKING:
    from scanner.scan import ScanResult

TOOL_SUITE = "cfgscan"  # parse errors and cfgscan's own findings (unused suppressions)
COUNTS = ("tests", "failures", "errors", "skipped")


def _details(f: dict[str, Any]) -> str:
    lines = [f"{f['file']}:{f['line']}:{f['column']}: {f['rule']} {f['message']}",
             f"key: {f['key']}" if f["key"] else "",
             f"status: {f['status']} (installed {f['installed'] or 'unknown'}, target {f['target'] or '-'})",
             versions_sentence(f),
             f"docs: {f['docs']}" if f.get("docs") else ""]
    return "\n".join(printable(x) for x in lines if x)


def _finding_case(f: dict[str, Any], fail_on: str) -> ET.Element:
    name = printable(f"{f['rule']} {f['file']}:{f['line']}")
    case = ET.Element("testcase", classname=printable(f["product"]), name=name, file=printable(f["file"]),
                      line=str(f["line"]))
    if "suppressed" in f:
        ET.SubElement(case, "skipped", message=printable(f"suppressed ({f['suppressed']['by']}): "
                                                      f"{f['suppressed']['reason']}"))
    elif at_or_above(f["severity"], fail_on):
        ET.SubElement(case, "failure", message=printable(f["message"]), type=f["severity"]).text = _details(f)
    else:  # below --fail-on: reported, but it does not fail the gate, so it does not fail the test
        ET.SubElement(case, "system-out").text = f"{f['severity']} (below --fail-on {fail_on})\n{_details(f)}"
    return case


def _error_case(e: dict[str, Any], ignored: bool) -> ET.Element:
    where = f"{e['file']}:{e['line']}" if e["line"] else e["file"]
    case = ET.Element("testcase", classname=TOOL_SUITE, name=printable(f"parse error {where}"),
                      file=printable(e["file"]))
    if e["line"]:
        case.set("line", str(e["line"]))
    text = printable(f"{where}: {e['message']}")
    if ignored:
        ET.SubElement(case, "system-out").text = f"ignored (--ignore-parse-errors): {text}"
    else:
        ET.SubElement(case, "error", message=printable(e["message"]), type="parse-error").text = text
    return case


def _suite(name: str, cases: list[ET.Element]) -> ET.Element:
    suite = ET.Element("testsuite", name=name)
    counts = dict.fromkeys(COUNTS, 0)
    for case in cases:
        counts["tests"] += 1
        for kind, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            counts[kind] += case.find(tag) is not None
        suite.append(case)
    for k, v in counts.items():
        suite.set(k, str(v))
    suite.set("time", "0")
    return suite


def render(result: ScanResult) -> str:
    doc = document(result)
    options = result.options
    by_suite: dict[str, list[ET.Element]] = {}
    for f in doc["findings"]:
        by_suite.setdefault(printable(f["product"]), []).append(_finding_case(f, options.fail_on))
    for e in doc["errors"]:
        by_suite.setdefault(TOOL_SUITE, []).append(_error_case(e, options.ignore_parse_errors))
    if not by_suite:  # an empty report reads as "nothing ran"; one passing case says the scan did
        by_suite[TOOL_SUITE] = [ET.Element("testcase", classname=TOOL_SUITE, name="scan")]
    root = ET.Element("testsuites", name="cfgscan")
    for name in sorted(by_suite):
        root.append(_suite(name, by_suite[name]))
    for k in COUNTS:
        root.set(k, str(sum(int(s.get(k, "0")) for s in root)))
    root.set("time", f"{doc['stats']['seconds']:.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
