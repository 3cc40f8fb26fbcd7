"""The per-candidate facts of ``_common.FACTS`` as dxe_eval computes them, through the
Python API.

:func:`dxe_facts` prepares a data set under the default ruleset (read, index)
and asks the built-in rules' own ``collect`` for their facts: the
``timeliness`` rule's requests and late requests, the ``satisfaction`` rule's
valid ratings by level, the ``ledger`` and ``follow-up`` rules' delivered,
ledgered and visited requests, for every unit, person and project. These are
the numbers the rules score, so agreement with the two baselines checks
dxe_eval's working-day arithmetic, period filters and attribution against two
independent scripts.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dxe_eval.engine import prepare
from dxe_eval.evidence import CID, KIND
from dxe_eval.manager import get_registry
from dxe_eval.ruleset import DEFAULT_RULESET, load_ruleset

FACTS = (
    "kind",
    "id",
    "requests",
    "late",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "delivered",
    "ledgered",
    "visited",
)


def dxe_facts(data: str | Path) -> pl.DataFrame:
    """One row per candidate with facts, columns :data:`FACTS`, sorted by kind and id."""
    reg = get_registry()
    rs = load_ruleset(DEFAULT_RULESET, reg)
    ev = prepare(str(data), rs, reg).evidence

    def facts(rule: str, columns: dict[str, str]) -> pl.DataFrame:
        frame = reg.rules[rule].collect(ev, rs.rules[rule])
        return frame.select(
            pl.col(KIND).alias("kind"),
            pl.col(CID).alias("id"),
            *(pl.col(k).alias(v) for k, v in columns.items()),
        )

    parts = [
        facts("timeliness", {"requests": "requests", "late": "late"}),
        facts("satisfaction", {f"r{i}": f"r{i}" for i in range(1, 6)}),
        facts("ledger", {"delivered": "delivered", "ledgered": "ledgered"}),
        facts("follow-up", {"visited": "visited"}),
    ]
    out = parts[0]
    for part in parts[1:]:
        out = out.join(part, on=["kind", "id"], how="full", coalesce=True)
    return (
        out.with_columns(pl.exclude("kind", "id").fill_null(0).cast(pl.Int64))
        .select(FACTS)
        .sort("kind", "id")
    )


if __name__ == "__main__":  # python benchmarks/facts.py DATA_DIR OUT.csv: in a process of its own
    import sys

    dxe_facts(sys.argv[1]).write_csv(sys.argv[2])
