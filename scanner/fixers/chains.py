"""Fix chains: when another rule flags what a fix produces at the same versions, follow that rule's fix to
the end of the chain (one direct edit), or stop and say why; ``cfgscan fix`` and ``matrix check`` share it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from scanner.fixers.interface import NotFixable
from scanner.keypath import parse_pattern, render_path
from scanner.matrix import Rule
from scanner.model import KeyPath, Occurrence, value_text

MAX_LINKS = 8

# A finding in a fixed file: the rule, where it fires (None: an absent key placed at line 1), its status.
Hit = tuple[Rule, Occurrence | None, str]


@dataclass(frozen=True)
class Step:
    """The net change a chain of fixes makes to one key: delete it, or move it and/or set its value;
    with the rules of the chain, the finding's own rule first."""

    path: KeyPath
    rules: tuple[Rule, ...]
    delete: bool = False
    target: KeyPath | None = None  # the new path of a moved key
    sets: bool = False
    value: object = None

    @property
    def result(self) -> KeyPath | None:
        """The key that holds the fixed value afterwards (None once it is deleted)."""
        return None if self.delete else self.target or self.path

    def outcome(self) -> str:
        """What the fix does, in words: ``set apiVersion to policy/v1beta1``, ``move a.b to a.c``."""
        key = render_path(self.path)
        if self.delete:
            return f"remove {key}"
        if self.target is None:
            return f"set {key} to {value_text(self.value)}"
        moved = f"move {key} to {render_path(self.target)}"
        return f"{moved} with the value {value_text(self.value)}" if self.sets else moved


class ChainBlocked(NotFixable):
    """Another rule flags what the fix produces, and the chain cannot go on mechanically: ``kind`` says why
    (no-fix, unsafe, cycle, elsewhere: a finding not on the fixed key); ``status`` is ``link``'s status."""

    def __init__(self, step: Step, link: Rule, status: str, kind: str) -> None:
        self.step, self.link, self.status, self.kind = step, link, status, kind
        tail = " (use --unsafe-fixes)" if kind == "unsafe" else f"; change it by hand (cfgscan explain {link.id})"
        super().__init__(self.summary() + tail)

    def summary(self) -> str:
        """The message without the advice to the user."""
        outcome, link, why = self.step.outcome(), self.link.id, status_words(self.link, self.status)
        return {
            "no-fix": f"the fix would {outcome}, which {link} flags too ({why}) and has no automatic fix",
            "unsafe": f"the fix would {outcome}, which {link} flags too ({why}); its fix is unsafe",
            "cycle": f"the fix would {outcome}, which {link} flags too ({why}), and its fix leads back",
            "elsewhere": f"the fix would {outcome}, and then {link} fires ({why})",
        }[self.kind]


def rename_target(rule: Rule, path: KeyPath) -> KeyPath:
    """The rename target, a literal path with wildcards filled from the matched path at the same positions."""
    parts = parse_pattern(str(rule.fix_to))
    return tuple(part.text if part.kind == "lit" else path[i] for i, part in enumerate(parts))


def first_step(rule: Rule, path: KeyPath) -> Step:
    if rule.fix_action == "rename":
        return Step(path, (rule,), target=rename_target(rule, path))
    if rule.fix_action == "set-value":
        return Step(path, (rule,), sets=True, value=rule.fix_to)
    return Step(path, (rule,), delete=True)


def compose(step: Step, link: Rule) -> Step | None:
    """The one change that makes ``step`` and then ``link``'s fix on its result: A→B then B→C moves A to C,
    a value set twice is the last value, a move then a new value is both, a fix then a deletion deletes."""
    result = step.result
    if result is None:
        return None
    rules = (*step.rules, link)
    if link.fix_action == "delete":
        return Step(step.path, rules, delete=True)
    if link.fix_action == "rename":
        return replace(step, rules=rules, target=rename_target(link, result))
    if link.fix_action == "set-value":
        return replace(step, rules=rules, sets=True, value=link.fix_to)
    return None


def status_words(rule: Rule, status: str) -> str:
    """Why a rule fires, for a message: ``removed in kubernetes 1.25``."""
    if status in ("broken-now", "breaks-at-target"):
        return f"removed in {rule.product} {rule.removed}"
    if status.startswith("deprecated"):
        return f"deprecated in {rule.product} {rule.deprecated}"
    if status == "default-changes-at-target":
        return f"its default changes in {rule.product} {rule.changed}"
    return f"deprecated from {rule.product} {rule.deprecated or rule.removed} (--show-future)"


def resolve(
    rule: Rule, occ: Occurrence, before: Sequence[Hit], apply: Callable[[Step], Sequence[Hit]], unsafe: bool
) -> Step:
    """The step that fixes ``rule`` at ``occ`` without any finding the file did not have before.

    ``apply`` makes a step (raising NotFixable when it cannot) and returns the findings of the result; a
    finding gained on the fixed key is followed through its own fix, anything else stops the chain.
    """
    had = Counter(r.id for r, _, _ in before)
    step = first_step(rule, occ.path)
    for _ in range(MAX_LINKS):
        after = apply(step)
        gained = Counter(r.id for r, _, _ in after) - had
        if not gained:
            if sum(1 for r, _, _ in after if r.id == rule.id) >= had[rule.id]:
                raise NotFixable(f"the fix leaves {rule.id} firing")
            return step
        new = [(r, o, s) for r, o, s in after if r.id in gained]
        on_key = [(r, s) for r, o, s in new
                  if o is not None and o.doc == occ.doc and o.path == step.result and r.kind != "default-changed"]
        link, status = on_key[0] if on_key else (new[0][0], new[0][2])
        if not on_key:
            raise ChainBlocked(step, link, status, "elsewhere")
        if link.id in {r.id for r in step.rules}:
            raise ChainBlocked(step, link, status, "cycle")
        nxt = compose(step, link)
        if nxt is None:
            raise ChainBlocked(step, link, status, "no-fix")
        if not link.fix_safe and not unsafe:
            raise ChainBlocked(step, link, status, "unsafe")
        step = nxt
    raise NotFixable(f"the chain of fixes is longer than {MAX_LINKS} rules")
