"""The presentation model: what every report says of a result, worked out once.

Each format (table, json, csv, xlsx, html, explain) lays these out in its own way;
none of them works out a status, a level name, a rank or a tie note of its own:

- :func:`standings`: each candidate's place in the commendation (listed, pending a
  tie at the cut-off, over the quota, not eligible) and :func:`status_text`, its
  words (long, with the peer group, for the spreadsheets; short for the HTML page,
  where the group stands in its own column);
- :func:`entry_status`: a list entry's status in words (建议表彰, 并列待定, 名额外);
- :func:`rank_text`: a rank with its tie note (``3（并列）``, ``3 (tied)``);
- :func:`level_name` and :func:`levels_text`: the findings' levels in words, most
  severe first;
- :func:`title_of`: a rule's or threshold's title in words (Chinese or English), so
  human reports name it by title, not by id;
- :class:`Table`: a report table (its name, headers and rows), as the spreadsheets
  and the CSV files hold it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Final

from attrs import frozen

from dxe_eval.commend import STATUS_ZH, Entry
from dxe_eval.manager import Registry, get_registry
from dxe_eval.model import KIND_LIST_ZH, LEVEL_RANK, LEVEL_ZH, Rule, Threshold
from dxe_eval.result import Evaluation

Cell = str | int | float | None

LISTED: Final = "listed"
PENDING: Final = "pending"
NEAR: Final = "near"
EXCLUDED: Final = "excluded"


@frozen
class Table:
    """A report table: its name (sheet or file name), headers and rows of cells."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@frozen(kw_only=True)
class Standing:
    """One candidate's place in the commendation."""

    #: ``listed``, ``pending`` (a tie at the cut-off), ``near`` (over the quota) or ``excluded``
    state: str
    #: the list's name (先进单位 / 先进个人 / 优秀项目)
    list_name: str
    group: str = ""
    rank: int = 0
    tied: bool = False
    note: str = ""


def standings(ev: Evaluation) -> dict[tuple[str, str], Standing]:
    """Every ranked or excluded candidate's standing, keyed by (kind, candidate id)."""
    out: dict[tuple[str, str], Standing] = {}
    for key, (state, e) in ev.commendation.standing().items():
        list_name = KIND_LIST_ZH.get(key[0], key[0])
        if not isinstance(e, Entry):
            out[key] = Standing(state=EXCLUDED, list_name=list_name)
            continue
        if state == NEAR:
            kind = NEAR
        elif e.status == PENDING:
            kind = PENDING
        else:
            kind = LISTED
        out[key] = Standing(
            state=kind, list_name=list_name, group=e.group, rank=e.rank, tied=e.tied, note=e.note
        )
    return out


def status_text(s: Standing, *, short: bool = False) -> str:
    """A standing in words: ``先进单位（处室第 1 名，并列）``; ``short`` leaves out the group
    (and says 名额外 for 名额外候选), for a page that shows the group beside it."""
    group = "" if short else s.group
    if s.state == EXCLUDED:
        return "不符合条件"
    if s.state == NEAR:
        return f"{'名额外' if short else '名额外候选'}（{group}第 {s.rank} 名）"
    if s.state == PENDING:
        return f"{s.list_name}（{group}第 {s.rank} 名）{s.note}"
    tie = "，并列" if s.tied else ""
    return f"{s.list_name}（{group}第 {s.rank} 名{tie}）"


def entry_status(status: str) -> str:
    """A list entry's status in words: 建议表彰 / 并列待定 / 名额外."""
    return STATUS_ZH.get(status, status)


def tie_note(tied: bool, lang: str = "zh") -> str:
    """What follows a tied rank: ``（并列）``, `` (tied)``; nothing when not tied."""
    if not tied:
        return ""
    return "（并列）" if lang == "zh" else " (tied)"


def rank_text(rank: int, tied: bool, lang: str = "zh") -> str:
    """A rank with its tie note: ``3（并列）``."""
    return f"{rank}{tie_note(tied, lang)}"


def level_name(level: str, lang: str = "zh") -> str:
    """A finding's level in words: 警示 / 责令改正 / 通报批评 (the id in English)."""
    return LEVEL_ZH.get(level, level) if lang == "zh" else level


def levels_text(levels: Iterable[str]) -> str:
    """Levels in words, most severe first, each once: ``通报批评、警示``."""
    return "、".join(LEVEL_ZH[lv] for lv in sorted(set(levels), key=lambda lv: -LEVEL_RANK[lv]))


def levels_by_candidate(ev: Evaluation) -> Mapping[tuple[str, str], str]:
    """:func:`levels_text` of each candidate with a finding, keyed by (kind, candidate id)."""
    by: dict[tuple[str, str], set[str]] = {}
    for f in ev.findings:
        by.setdefault((f.kind, f.candidate_id), set()).add(f.level)
    return {k: levels_text(v) for k, v in by.items()}


def cell_text(value: Cell) -> str:
    """A cell as text: empty for none, a whole float without its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


@functools.cache
def _default_registry() -> Registry:
    return get_registry()


def title_of(kind: str, id_: str, lang: str = "zh", *, registry: Registry | None = None) -> str:
    """A rule's or threshold's title in words: ``kind`` is ``"rule"`` or ``"threshold"``.

    Chinese (``lang="zh"``) gives ``Rule.title``/``Threshold.title``, English its
    ``title_en``. ``registry`` is the evaluation's (``ev.registry``); without one the
    installed plugins' registry is asked (built once). An id the registry does not know
    is returned as it is.
    """
    reg = registry if registry is not None else _default_registry()
    if kind == "rule":
        item: Rule | Threshold | None = reg.rules.get(id_)
    elif kind == "threshold":
        item = reg.thresholds.get(id_)
    else:
        raise ValueError(f"kind must be 'rule' or 'threshold', not {kind!r}")
    if item is None:
        return id_
    return (item.title if lang == "zh" else item.title_en) or id_


def titled(kind: str, id_: str, lang: str = "zh", *, registry: Registry | None = None) -> str:
    """A title with its id in brackets: ``事后有回访（follow-up）``."""
    title = title_of(kind, id_, lang, registry=registry)
    if title == id_:
        return id_
    return f"{title}（{id_}）" if lang == "zh" else f"{title} ({id_})"
