"""The scan's lean YAML loader resolves exactly the tags PyYAML's safe loader does."""

from __future__ import annotations

import yaml

from scanner.parsers.yamlfile import _ScanLoader
from scanner.yamlnodes import SafeLoader

TRICKY = """\
a: yes
b: 1.10
c: ~
d: 2001-12-14
e: '1'
f: .inf
g: 0o17
h: <<
i: =
j: ''
k:
l: !!str 3
m: [1, x, -1, +1, Null, 1_000, 0x1F, on, Off, .NaN, 1e3, 2001-12-14t21:59:43.10-05:00]
"n": "quoted"
<<: {r: 1}
? [complex, key]
: value
"""


def _tags(node: yaml.Node) -> list[str]:
    out = [node.tag]
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _tags(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += _tags(key) + _tags(value)
    return out


def test_every_tag_is_the_safe_loaders() -> None:
    lean = yaml.compose(TRICKY, Loader=_ScanLoader)
    stock = yaml.compose(TRICKY, Loader=SafeLoader)
    assert _tags(lean) == _tags(stock)
    assert len(set(_tags(lean))) >= 9  # the sample does reach bool, int, float, null, timestamp, merge, value...
