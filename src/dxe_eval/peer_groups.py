"""Peer groups (同类比较的分组): the unit categories a ruleset declares, and small groups.

A unit's ``category`` (类别) is the group a per-category list ranks it in. Free
text would let a typo (直属事业单位 for 直属单位) make a group of its own, with a
commendation of its own. So a ruleset declares its categories (``[peer_groups]
categories``) and the reader treats the column as a choice of those
(:func:`with_categories`): another value rejects the unit, naming the nearest
declared one. A group left with fewer eligible candidates than
``min_group`` still gets its share of the quota (at least one), so each such
group is named in a warning (:func:`small_group_warnings`) on every report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import attrs

from dxe_eval.commend import CommendationResult
from dxe_eval.model import KIND_LIST_ZH, KINDS
from dxe_eval.ruleset import Ruleset
from dxe_eval.schema import RecordType

#: the record type and column of a unit's category
CATEGORY: tuple[str, str] = ("units", "category")


def with_categories(
    types: Mapping[str, RecordType], categories: tuple[str, ...]
) -> Mapping[str, RecordType]:
    """``types`` with the units' category a choice of ``categories`` (as they are written);
    ``types`` itself when none is declared."""
    name, column = CATEGORY
    if not categories or name not in types:
        return types
    rt = types[name]
    columns = tuple(
        attrs.evolve(c, type="choice", choices={v: v for v in categories})
        if c.name == column
        else c
        for c in rt.columns
    )
    return {**types, name: attrs.evolve(rt, columns=columns)}


def small_group_warnings(result: CommendationResult, ruleset: Ruleset) -> tuple[str, ...]:
    """A warning for each peer group of a per-category list that has some eligible
    candidates, but fewer than ``min_group``: its quota (at least one) is then decided
    among very few."""
    least = ruleset.peer_groups.min_group
    out: list[str] = []
    for kind in KINDS:
        policy = ruleset.commendation.policy(kind)
        if not policy.enabled or policy.per != "category" or kind not in result.lists:
            continue
        eligible = Counter(
            e.group for e in (*result.lists[kind], *result.near_misses.get(kind, ()))
        )
        for group, n in sorted(eligible.items()):
            if n >= least:
                continue
            quota = result.quotas.get(kind, {}).get(group, 0)
            out.append(
                f"{KIND_LIST_ZH[kind]}的分组 {group} 只有 {n} 个符合条件的对象（少于 {least} 个），"
                f"仍有 {quota} 个名额：请核对类别是否填写正确，或合并分组 "
                f"/ peer group {group} of the {kind} list has {n} eligible candidate(s), fewer "
                f"than min_group {least}, and still {quota} place(s): check the categories"
            )
    return tuple(out)
