"""What changes between two runs: the value objects a what-if comparison is made of.

Both ways of comparing make them: the long way (:func:`dxe_eval.whatif.compare`, two
full runs) and the fast path (:func:`dxe_eval.rescore.quick_comparison`); they sit
below both, so neither imports the other for them.
"""

from __future__ import annotations

from attrs import frozen


@frozen(kw_only=True)
class CandidateChange:
    """One candidate under A and B. ``rank_change`` > 0 means it moved up."""

    candidate_id: str
    kind: str
    name: str
    total_a: float
    total_b: float
    change: float
    rank_a: int
    rank_b: int
    rank_change: int
    commended_a: bool
    commended_b: bool


@frozen(kw_only=True)
class ListChange:
    """Who enters and who leaves one commendation list (ids with names)."""

    kind: str
    size_a: int
    size_b: int
    entered: tuple[tuple[str, str], ...] = ()
    left: tuple[tuple[str, str], ...] = ()


@frozen(kw_only=True)
class FindingChange:
    """A finding that appears (``level_a`` None), disappears (``level_b`` None) or changes."""

    candidate_id: str
    kind: str
    unit_id: str
    threshold: str
    level_a: str | None
    level_b: str | None


@frozen(kw_only=True)
class Comparison:
    ruleset_a: str
    ruleset_b: str
    fingerprint_a: str
    fingerprint_b: str
    candidates: tuple[CandidateChange, ...]
    lists: tuple[ListChange, ...]
    findings: tuple[FindingChange, ...]
