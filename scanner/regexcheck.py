"""Whether a regular expression runs in linear time under ``re``: for the matrices a scanned repository supplies.

``re`` backtracks: on a value that does not match it tries every way the pattern can read the value, from every
start position. That is linear only if, for any text, the pattern has a bounded number of ways to be part-way
through it. A pattern with two different ways around one loop on the same text (``(a|a)+``, ``(a+)+``) has
exponentially many; one whose repeat can take over what another repeat, or the search for a start, reads
(``a.*b.*c``, an unanchored ``\\s*$``) has polynomially many. ``backtracking_problem`` decides this on the
pattern's automaton (``scanner.regexnfa``) with the tests of Weber and Seidl for exponential (EDA) and
polynomial (IDA) ambiguity, treating a state from which every way leads to a match as an end (``.*`` at the
end of a pattern cannot fail, so it cannot backtrack), and bounds the finite number of ways as well.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from scanner.regexnfa import ALL, BOL, BOS, EOL, EOS, NEWLINE, Charset, Nfa, Refused, build, parse

MAX_STATES = 5_000
MAX_PRODUCT = 200_000  # pairs and triples explored, in all
MAX_WAYS = 1_024  # ways to read one text part-way, from choices that do not repeat
START, AFTER_NEWLINE, AFTER_OTHER = 0, 1, 2  # what the last character read was (for ^ in MULTILINE)
State = tuple[int, int]  # (character position, what it read)
Moves = dict[int, dict[State, int]]  # atom -> next state -> number of ways
Pair = tuple[State, State]
Node = TypeVar("Node", bound=Hashable)


def backtracking_problem(pattern: str) -> str | None:
    """None when the pattern provably matches in linear time; else why it may not (it compiles already)."""
    try:
        tree, flags = parse(pattern)
        return _Automaton(build(tree, flags), searched=True).problem(once=True)
    except Refused as exc:
        return str(exc)
    except RecursionError:  # a pattern nested past the parser's own recursion
        return "it is nested too deeply to check"


class _Automaton:
    """The states of a pattern's automaton reachable from its start, with the moves between them."""

    def __init__(self, nfa: Nfa, searched: bool) -> None:
        self.nfa = nfa
        # the start: a position that reads any character and loops, so a search tries every start position;
        # a lookaround body is matched at one position only, so its start has no loop
        self.begin = nfa.node(ALL)
        head = nfa.node()
        nfa.out[self.begin] = head
        if searched:
            nfa.link(head, self.begin)
        nfa.link(head, nfa.entry)
        self.order = _topological(nfa)
        self.atoms, self.newline = _atoms(nfa)
        self.sure = _sure(nfa)
        self.initial: State = (self.begin, START)
        self.moves: dict[State, Moves] = {}
        self.visited: set[int] = set()  # free-step nodes some later state passes (lookarounds met more than once)
        todo = deque([self.initial])
        self.moves[self.initial] = {}
        while todo:
            state = todo.popleft()
            if state[0] in self.sure and state != self.initial:  # every way from here matches: re stops at the first
                self.visited |= self._closure(nfa.out[state[0]], state[1])
                continue
            moves = self.moves[state] = self._moves(state, state != self.initial)
            for targets in moves.values():
                for t in targets:
                    if t not in self.moves:
                        if len(self.moves) >= MAX_STATES:
                            raise Refused(f"it is too large to check (over {MAX_STATES} states)")
                        self.moves[t] = {}
                        todo.append(t)

    def _moves(self, state: State, later: bool) -> Moves:
        """Where one character (each atom) leads from a state, counting the different ways there."""
        nfa, (node, last) = self.nfa, state
        counts: dict[tuple[int, bool], int] = {(nfa.out[node], False): 1}  # (node, newline must come next)
        reached: dict[tuple[int, bool], int] = {}
        for n in sorted({n for n, _ in counts} | self._closure(nfa.out[node], last), key=self.order.__getitem__):
            for need_newline in (False, True):
                ways = counts.pop((n, need_newline), 0)
                if not ways:
                    continue
                if later:
                    self.visited.add(n)
                if nfa.cls[n] is not None:
                    reached[(n, need_newline)] = reached.get((n, need_newline), 0) + ways
                    continue
                for t, label in nfa.eps[n]:
                    if label == EOS or not _passes(label, last):
                        continue
                    key = (t, need_newline or label == EOL)
                    counts[key] = min(counts.get(key, 0) + ways, MAX_WAYS + 1)
        moves: Moves = {}
        for (n, need_newline), ways in reached.items():
            for atom in self.atoms[n]:
                if need_newline and atom != self.newline:
                    continue
                target = (n, AFTER_NEWLINE if atom == self.newline else AFTER_OTHER)
                row = moves.setdefault(atom, {})
                row[target] = min(row.get(target, 0) + ways, MAX_WAYS + 1)
        return moves

    def _closure(self, start: int, last: int) -> set[int]:
        nfa, seen, todo = self.nfa, {start}, [start]
        while todo:
            n = todo.pop()
            for t, label in nfa.eps[n]:
                if t not in seen and _passes(label, last):
                    seen.add(t)
                    todo.append(t)
        return seen

    def problem(self, once: bool) -> str | None:
        """Why matching may take more than linear time (``once``: the automaton is run at one position only)."""
        if self.initial[0] in self.sure:
            return None  # it matches at the first position, whatever the text
        graph = {s: {t for row in moves.values() for t in row} for s, moves in self.moves.items()}
        component = _components(graph)
        budget = [MAX_PRODUCT]
        pairs, doubled = self._pairs(budget)
        pair_component = _components(pairs)
        looping = {c for c, members in _members(pair_component).items()
                   if len(members) > 1 or any(m in pairs[m] for m in members)}
        twice = {pair_component[a] for a, b in doubled if pair_component[a] == pair_component[b]}
        for c, members in _members(pair_component).items():
            if c not in looping or not any(a == b for a, b in members):
                continue
            if any(a != b for a, b in members) or c in twice:
                return ("it can match the same text in exponentially many ways (like (a|a)+ or (a+)+), which takes "
                        "exponential time on a value that almost matches")
        for (p, q), c in pair_component.items():
            candidate = p != q and c in looping and component[p] != component[q]
            if candidate and (self._polynomial(p, q, budget) or self._polynomial(q, p, budget)):
                return ("a repeat in it can also match what comes before or after it (like a.*b.*c, or \\s*$ "
                        "without ^), which takes polynomial time on a long value")
        ways = 1
        for moves in self.moves.values():
            width = max((sum(n for t, n in row.items() if t[0] != self.begin) for row in moves.values()), default=1)
            ways = min(ways * max(width, 1), MAX_WAYS + 1)
        if ways > MAX_WAYS:
            return f"it has over {MAX_WAYS} ways to match the same text (too many overlapping alternatives or repeats)"
        if not once and any(len(m) > 1 or s in graph[s] for s, m in _by_component(component).items()):
            return "a lookaround in it holds a repeat and is tried at many positions, which takes polynomial time"
        return self._lookarounds(once)

    def _lookarounds(self, once: bool) -> str | None:
        for look in self.nfa.lookarounds:
            body = _Automaton(build(look.items, look.flags), searched=False)
            problem = body.problem(once=once and look.node not in self.visited)
            if problem:
                return problem
        return None

    def _pairs(self, budget: list[int]) -> tuple[dict[Pair, set[Pair]], list[tuple[Pair, Pair]]]:
        """The pairs of states two ways can be in after reading the same text (unordered, with their moves), and
        the moves from a pair of equal states to another that two different ways take."""
        start = (self.initial, self.initial)
        pairs: dict[Pair, set[Pair]] = {start: set()}
        doubled: list[tuple[Pair, Pair]] = []
        todo = [start]
        while todo:
            a, b = pair = todo.pop()
            for atom, row_a in self.moves[a].items():
                row_b = self.moves[b].get(atom)
                if row_b is None:
                    continue
                for ta, na in row_a.items():
                    for tb, _ in row_b.items():
                        t = (ta, tb) if ta <= tb else (tb, ta)
                        pairs[pair].add(t)
                        if a == b and ta == tb and na > 1:
                            doubled.append((pair, t))
                        if t not in pairs:
                            budget[0] -= 1
                            if budget[0] < 0:
                                raise Refused("it is too large to check (too many ways to compare)")
                            pairs[t] = set()
                            todo.append(t)
        return pairs, doubled

    def _polynomial(self, p: State, q: State, budget: list[int]) -> bool:
        """Whether some text leads from p back to p, from p to q and from q back to q (three ways at once)."""
        goal, start = (p, q, q), (p, p, q)
        seen, todo = {start}, [start]
        while todo:
            a, b, c = todo.pop()
            for atom, row_a in self.moves[a].items():
                row_b, row_c = self.moves[b].get(atom), self.moves[c].get(atom)
                if row_b is None or row_c is None:
                    continue
                for t in _triples(row_a, row_b, row_c):
                    if t == goal:
                        return True
                    if t not in seen:
                        budget[0] -= 1
                        if budget[0] < 0:
                            raise Refused("it is too large to check (too many ways to compare)")
                        seen.add(t)
                        todo.append(t)
        return False


def _passes(label: str | None, last: int) -> bool:
    """Whether a free step with this label may be taken after reading ``last`` (the next character is checked
    by the caller)."""
    return not (label == BOS and last != START) and not (label == BOL and last == AFTER_OTHER)


def _triples(a: Iterable[State], b: Iterable[State], c: Iterable[State]) -> Iterable[tuple[State, State, State]]:
    bs, cs = list(b), list(c)
    return ((x, y, z) for x in a for y in bs for z in cs)


def _topological(nfa: Nfa) -> list[int]:
    """Each node's rank in an order where free steps only go forward (they form no cycle: see regexnfa)."""
    indegree = [0] * len(nfa.eps)
    for edges in nfa.eps:
        for t, _ in edges:
            indegree[t] += 1
    order = [0] * len(nfa.eps)
    ready = [n for n, d in enumerate(indegree) if d == 0]
    rank = 0
    while ready:
        n = ready.pop()
        order[n] = rank
        rank += 1
        for t, _ in nfa.eps[n]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    if rank != len(nfa.eps):
        raise Refused("a repeated part can match empty text (like (a?)*), which can take exponential time")
    return order


def _atoms(nfa: Nfa) -> tuple[list[tuple[int, ...]], int]:
    """The alphabet cut into atoms (characters no class tells apart; a newline is one on its own), and for each
    node the atoms its class holds."""
    classes = sorted({c for c in nfa.cls if c is not None})
    cuts = sorted({0, NEWLINE, NEWLINE + 1, *(x for c in classes for lo, hi in c for x in (lo, hi + 1))})
    cuts = [x for x in cuts if x <= ALL[0][1]]
    member = {c: [_holds(c, lo) for lo in cuts] for c in classes}
    signature: dict[tuple[bool, ...], int] = {}
    atom_of_cut = []
    for i, lo in enumerate(cuts):
        key = (lo == NEWLINE, *(member[c][i] for c in classes))
        atom_of_cut.append(signature.setdefault(key, len(signature)))
    newline = atom_of_cut[cuts.index(NEWLINE)]
    by_class = {c: tuple(sorted({atom_of_cut[i] for i, inside in enumerate(member[c]) if inside})) for c in classes}
    return [by_class[c] if c is not None else () for c in nfa.cls], newline


def _holds(cs: Charset, ch: int) -> bool:
    i = bisect.bisect_right(cs, (ch, ALL[0][1])) - 1
    return i >= 0 and cs[i][0] <= ch <= cs[i][1]


def _sure(nfa: Nfa) -> set[int]:
    """Character positions from which every way leads on to a match: each position after them can end the match
    by free steps without conditions, so re, taking the first way that matches, never backtracks past them."""
    back: dict[int, list[int]] = {}
    for n, edges in enumerate(nfa.eps):
        for t, label in edges:
            if label is None:
                back.setdefault(t, []).append(n)
    can_end = _reach({nfa.final}, back.get)
    chars = [n for n, c in enumerate(nfa.cls) if c is not None]
    bad = {n for n in chars if nfa.out[n] not in can_end}
    reverse: dict[int, list[int]] = {}
    for n, edges in enumerate(nfa.eps):
        for t, _ in edges:
            reverse.setdefault(t, []).append(n)
    for n in chars:
        reverse.setdefault(nfa.out[n], []).append(n)
    leads_to_bad = _reach(bad, reverse.get)
    return {n for n in chars if n not in bad and nfa.out[n] not in leads_to_bad}


def _reach(start: set[int], step: Callable[[int], list[int] | None]) -> set[int]:
    seen, todo = set(start), list(start)
    while todo:
        for t in step(todo.pop()) or ():
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def _components(graph: Mapping[Node, Iterable[Node]]) -> dict[Node, int]:
    """Strongly connected components (Tarjan, without recursion): node -> component number."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    component: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, successors = work[-1]
            for t in successors:
                if t not in index:
                    index[t] = low[t] = len(index)
                    stack.append(t)
                    on_stack.add(t)
                    work.append((t, iter(graph[t])))
                    break
                if t in on_stack:
                    low[node] = min(low[node], index[t])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = index[node]
                        if member == node:
                            break
    return component


def _members(component: Mapping[Node, int]) -> dict[int, list[Node]]:
    out: dict[int, list[Node]] = {}
    for node, c in component.items():
        out.setdefault(c, []).append(node)
    return out


def _by_component(component: dict[State, int]) -> dict[State, list[State]]:
    """Each state with the members of its component."""
    members = _members(component)
    return {s: members[c] for s, c in component.items()}
