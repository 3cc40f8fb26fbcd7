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
- :func:`decided_text`: 决定因素 in words, with the values that decided;
- :class:`Table`: a report table (its name, headers and rows), as the spreadsheets
  and the CSV files hold it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Final

from attrs import frozen

from dxe_eval.commend import (
    BY_ID,
    MEASURE_LINKS,
    STATUS_ZH,
    TIE,
    Entry,
    Measures,
    chain_links,
    measure_value,
)
from dxe_eval.manager import Registry, get_registry
from dxe_eval.model import KIND_LIST_ZH, LEVEL_RANK, LEVEL_ZH, Rule, Threshold
from dxe_eval.result import Evaluation
from dxe_eval.schema import label_of

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
    installed plugins' registry is asked (built once), as for an archived run's registry,
    which names none. An id the registry does not know is returned as it is.
    """
    # an archived run's registry names no rules or thresholds: the installed plugins' then
    known = hasattr(registry, "rules") and hasattr(registry, "thresholds")
    reg = registry if registry is not None and known else _default_registry()
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


def record_type_name(ev: Evaluation, name: str) -> str:
    """A record type as the reports name it: its label, the name in brackets
    (``服务需求（requests）``); a name the registry does not know as it is."""
    label = label_of(getattr(ev.registry, "record_types", {}), name)
    return f"{label}（{name}）" if label != name else name


#: the tie-break links that are not rules, in words
LINK_WORDS: Final = {
    "total": ("总分", "total"),
    "caseload": ("办件量", "caseload"),
    "satisfaction_rate": ("满意率", "satisfaction rate"),
    "satisfied_ratings": ("满意评价数", "satisfied ratings"),
    "id": ("编号", "id"),
}


def link_name(ev: Evaluation, link: str, lang: str = "zh") -> str:
    """A tie-break link in words: 总分, 满意率…, or the rule's title."""
    words = LINK_WORDS.get(link)
    if words is not None:
        return words[0] if lang == "zh" else words[1]
    return title_of("rule", link, lang, registry=getattr(ev, "registry", None))


def _link_value(ev: Evaluation, kind: str, candidate_id: str, link: str) -> str:
    card = ev.get_scorecard(candidate_id)
    if link in MEASURE_LINKS:
        value = measure_value(link, ev.measures.get((kind, candidate_id), Measures()))
        if isinstance(value, Fraction):
            return "无" if value < 0 else f"{float(value):.1f}%"
        return str(value)
    if card is None:
        return "?"
    points = card.total if link == "total" else card.points(link)
    return f"{points:g}"


def _above(ev: Evaluation, kind: str, entry: Entry) -> Entry | None:
    """The entry ranked just above ``entry`` in its group (listed, then over the quota)."""
    both = (*ev.commendation.lists.get(kind, ()), *ev.commendation.near_misses.get(kind, ()))
    # by rank; a listed entry before a near miss of the same rank (sorted is stable)
    group = sorted((e for e in both if e.group == entry.group), key=lambda e: e.rank)
    for before, e in itertools.pairwise(group):
        if e.candidate_id == entry.candidate_id:
            return before
    return None


def decided_text(ev: Evaluation, entry: Entry, lang: str = "zh") -> str:
    """决定因素 in words: what ordered ``entry`` after the one above it in its group, with
    both values, the one above first: ``总分 92.81 > 92.64``, ``总分、满意度相同，
    响应及时性 18.2 > 17.5``; ``并列`` for a tie the chain did not break, ``编号`` when the
    id decided; empty for the first of a group."""
    link = entry.decided_by
    if not link:
        return ""
    zh = lang == "zh"
    if link == TIE:
        return "并列" if zh else "tied"
    chain = ["total", *chain_links(ev.ruleset.commendation.tie_break)]
    same = chain[: chain.index(link)] if link in chain else chain
    sep = "、" if zh else ", "
    head = ""
    if same:
        names = sep.join(link_name(ev, x, lang) for x in same)
        head = f"{names}相同，" if zh else f"equal on {names}; "
    if link == BY_ID:
        return f"{head}按编号" if zh else f"{head}by id"
    above = _above(ev, entry.kind, entry)
    name = link_name(ev, link, lang)
    if above is None:
        return f"{head}{name}"
    mine = _link_value(ev, entry.kind, entry.candidate_id, link)
    theirs = _link_value(ev, entry.kind, above.candidate_id, link)
    return f"{head}{name} {theirs} > {mine}"


def evidence_item(ev: Evaluation, item: str, lang: str = "zh") -> str:
    """An evidence id as a report shows it: a threshold's id (the evidence of an
    escalation: the findings it escalates) by its title, the id in brackets."""
    return titled("threshold", item, lang, registry=getattr(ev, "registry", None))


def decided_link(ev: Evaluation, link: str, lang: str = "zh") -> str:
    """A commendation entry's ``decided_by`` in words, without values (the tables' 决定因素
    column): ``总分``, ``并列``, ``满意率``, a rule's title with its id in brackets."""
    if not link:
        return ""
    if link == TIE:
        return "并列" if lang == "zh" else "tied"
    if link in LINK_WORDS:
        return link_name(ev, link, lang)
    return titled("rule", link, lang, registry=getattr(ev, "registry", None))


#: what the evidence ids of a built-in rule or threshold are, in words (zh, en): the
#: records that cost points or raised the finding, or (media) the ones that earned them
EVIDENCE_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    "timeliness": ("响应超时或超期办结的需求", "requests answered late or closed late"),
    "follow-up": ("未按期回访的需求", "requests not followed up in time"),
    "ledger": ("未按期录入台账的需求", "requests not entered in the ledger in time"),
    "satisfaction": ("差评", "unsatisfied ratings"),
    "standard": ("无服务标准的能力清单事项", "capability items without a standard"),
    "publicity": ("计分的媒体报道", "media items that earned the points"),
    "media-bonus": ("计分的媒体报道", "media items that earned points"),
    "key-projects": ("逾期的重点项目", "key projects late"),
    "supervision": ("逾期的督办事项", "supervision items late"),
    "summary": ("未按期提交小结的项目", "projects without a timely summary"),
    "evaluation": ("未评价的项目", "projects not evaluated"),
    "late-response": ("响应超时的需求", "requests answered late"),
    "bad-review-rate": ("差评", "unsatisfied ratings"),
    "not-delivered": ("未落实或超期的需求", "requests not delivered or late"),
    "unrectified": ("未按期整改的处理或差评", "sanctions or ratings not rectified in time"),
    "escalation": ("升级所依据的预警与处理", "the findings and sanction escalated"),
}


def evidence_label(id_: str, lang: str = "zh") -> str:
    """What the evidence list of rule or threshold ``id_`` holds, in words (``超时的需求``);
    ``依据记录`` / ``evidence`` for a plugin's rule not named here."""
    words = EVIDENCE_LABELS.get(id_)
    if words is None:
        return "依据记录" if lang == "zh" else "evidence"
    return words[0] if lang == "zh" else words[1]


def count_text(shown: int, count: int, lang: str = "zh") -> str:
    """The count beside an evidence list of ``shown`` items out of ``count`` in all:
    ``共 3 条`` when all are listed, ``共 40 条，列出前 10 条`` when not. A count below the
    items listed (an escalation lists the sanction beside its findings) is the items'."""
    total = max(count, shown)
    if total > shown:
        return (
            f"共 {total} 条，列出前 {shown} 条"
            if lang == "zh"
            else f"{total} in all, first {shown} listed"
        )
    return f"共 {total} 条" if lang == "zh" else f"{total} in all"
