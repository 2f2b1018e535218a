"""Read, parse and match the candidate files: in this process for a hook, prefiltered over the cores for a big tree."""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from scanner.discover import Candidate, Claim
from scanner.match import RuleIndex, Versions
from scanner.matrix import Matrix
from scanner.model import Decision, FileError, Finding, Skipped
from scanner.options import Options
from scanner.parsers.syntaxcheck import proves_clean
from scanner.prefilter import Prefilter
from scanner.scan import ScanResult, parse_text, scan_file
from scanner.textio import FileText

# Candidate files from which a scan is a big-tree scan: a process pool, and the prefilter decides which files to parse
# for rules (the others get a cheap syntax check: errors and exit code are the same either side of the threshold).
# Below it every claimed file is parsed, and a pool would cost more than it saves.
PARALLEL_THRESHOLD = 2_000
CHUNK = 250  # files per task: large enough to amortise pickling, small enough to balance two cores


@dataclass(frozen=True)
class ScanJob:
    """What every file of one run is checked against (built once, inherited by the worker processes)."""

    matrix: Matrix
    indexes: dict[tuple[str, str], RuleIndex]
    versions: dict[str, Versions]
    options: Options
    prefilter: Prefilter | None
    later: dict[str, Versions] = dataclasses.field(default_factory=dict)  # targets for counting, not reporting

    def scan(self, cand: Candidate, result: ScanResult) -> None:
        # A file named on the command line (the hook's case) is always parsed, so its syntax errors are reported.
        named = cand.path in self.options.paths
        scan_file(cand, self.matrix, self.indexes, self.versions, self.options, result,
                  None if named else self.prefilter, self.later)

    def warm(self, candidates: Iterable[Candidate]) -> None:
        """Before the workers fork, do once what each would repeat: import the parsers (and build tree-sitter's)
        for the formats these files need, work out their specs' live rules, wanted keys and needle searches."""
        import hashlib  # noqa: F401 - for the fingerprints of findings, in every worker
        seen: set[tuple[str, str]] = set()
        for cand in candidates:
            for claim in cand.claims:
                key = (claim.product, claim.spec.name)
                if key in seen:
                    continue
                seen.add(key)
                parse_text(claim.spec.format, "")
                proves_clean(claim.spec.format, "")  # the libraries of the syntax checks, too
                _ = self.indexes[key].wanted
                if self.prefilter is not None:
                    self.prefilter.needs_parse(claim.product, claim.spec.name, "")


@dataclass
class _Chunk:
    """One worker task's share of a ScanResult; texts only where a finding or a suppression comment needs them."""

    findings: list[Finding]
    later: list[Finding]
    errors: list[FileError]
    skipped: list[Skipped]
    files_checked: int
    files_parsed: int
    texts: dict[str, tuple[FileText, str, tuple[Claim, ...]]]
    decisions: list[Decision]


def worker_count(options: Options, files: int) -> int:
    """One process below the threshold (files seen so far); else a process per usable core (or per jobs)."""
    if files < PARALLEL_THRESHOLD:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(options.jobs or cores, cores))


def scan_candidates(candidates: Iterable[Candidate], job: ScanJob, result: ScanResult) -> None:
    """Scan every candidate into result and count them; the order of errors and skips is the candidates' order.

    The candidates may be a lazy walk: a big tree is handed to the workers while it is still being walked, and the
    pool is started (forked) before the parent holds the whole list. The prefilter is used for a big tree only
    (a smaller run parses every claimed file); the files it skips are still checked for syntax errors.
    """
    walk = iter(candidates)
    head = list(itertools.islice(walk, PARALLEL_THRESHOLD))
    workers = worker_count(job.options, len(head))
    if len(head) < PARALLEL_THRESHOLD:
        job = dataclasses.replace(job, prefilter=None)
    if workers <= 1:
        for cand in itertools.chain(head, walk):
            result.files_considered += 1
            job.scan(cand, result)
        return
    job.warm(head)
    counted = _Counter(itertools.chain(head, walk))
    del head
    for part in _pooled(counted, job, workers):
        result.findings.extend(part.findings)
        result.later.extend(part.later)
        result.errors.extend(part.errors)
        result.skipped.extend(part.skipped)
        result.files_checked += part.files_checked
        result.files_parsed += part.files_parsed
        result.decisions.extend(part.decisions)
        for display, (ft, path, claims) in part.texts.items():
            result.texts[display], result.paths[display], result.claims[display] = ft, path, claims
    result.files_considered += counted.count


class _Counter:
    """Counts what passes through (the pool's task thread consumes the walk)."""

    def __init__(self, items: Iterable[Candidate]) -> None:
        self.items, self.count = iter(items), 0

    def __iter__(self) -> Iterator[Candidate]:
        for item in self.items:
            self.count += 1
            yield item


_JOB: ScanJob | None = None


def _init_worker(job: ScanJob) -> None:
    global _JOB
    _JOB = job


def _scan_chunk(chunk: Sequence[Candidate]) -> _Chunk:
    job = _JOB
    assert job is not None, "worker not initialised"
    part = ScanResult(job.options, job.matrix, job.versions, [])
    for cand in chunk:
        job.scan(cand, part)
    with_findings = {f.file for f in (*part.findings, *part.later)}
    texts = {d: (ft, part.paths[d], part.claims[d]) for d, ft in part.texts.items()
             if d in with_findings or "cfgscan:" in ft.text}
    return _Chunk(part.findings, part.later, part.errors, part.skipped, part.files_checked, part.files_parsed, texts,
                  part.decisions)


def _pooled(candidates: Iterable[Candidate], job: ScanJob, workers: int) -> Iterator[_Chunk]:
    import multiprocessing  # only for big trees: the hook never pays for it

    methods = multiprocessing.get_all_start_methods()
    # fork shares the built matrix and prefilter with the workers for free; elsewhere they are pickled once each.
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(job,)) as pool:
        yield from pool.imap(_scan_chunk, _chunks(candidates))


def _chunks(candidates: Iterable[Candidate]) -> Iterator[list[Candidate]]:
    chunk: list[Candidate] = []
    for cand in candidates:
        chunk.append(cand)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
