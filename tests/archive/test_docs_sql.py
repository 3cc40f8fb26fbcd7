"""The SQL that ``docs/archive.md`` shows another system runs as written, on SQLite and on
PostgreSQL, and answers what the page says it answers.

Data: ``support`` for 2021 and 2022, both published; A1's 2021 order rectified 2022-01-10.
By hand (see ``test_history``): A1 has a 责令改正 in 2021 (not-delivered) and in 2022 a
通报批评 (escalation, the most severe, listed first), a 通报批评 (unrectified is not one:
the order was rectified in 5 working days) and the 责令改正 again; A2 has none.
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from dxe_eval.archive import runs
from dxe_eval.archive.store import open_archive
from tests import builders
from tests.archive import support

PAGE = builders.ROOT / "docs" / "archive.md"


def _queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_the_documented_queries_run(target: str) -> None:
    first = support.archive_year(target, 2021).run_id
    with open_archive(target) as archive:
        runs.publish(archive, first, by="甲")
        runs.rectify(archive, first, "A1", on=dt.date(2022, 1, 10), note="已整改")
    second = support.archive_year(target, 2022).run_id
    with open_archive(target) as archive:
        runs.publish(archive, second, by="甲")
    units, history = _queries()
    with open_archive(target) as archive, archive.transaction() as conn:
        rows = conn.execute(sa.text(units)).mappings().all()
        assert [r["candidate_id"] for r in rows] == sorted(
            ("A1", "A2"),
            key=lambda c: (-next(r["total"] for r in rows if r["candidate_id"] == c), c),
        )
        assert all(r["total_rank"] == 1 + sum(o["total"] > r["total"] for o in rows) for r in rows)
        worst = {r["candidate_id"]: r["worst_finding"] for r in rows}
        assert worst == {"A1": "通报批评", "A2": None}

        rows = conn.execute(sa.text(history)).mappings().all()
        assert [
            (
                r["period_start"].year
                if isinstance(r["period_start"], dt.date)
                else int(str(r["period_start"])[:4]),
                r["threshold"],
                r["level_zh"],
            )
            for r in rows
        ] == [
            (2021, "not-delivered", "责令改正"),
            (2022, "escalation", "通报批评"),
            (2022, "not-delivered", "责令改正"),
        ]
        assert str(rows[0]["rectified_on"]) == "2022-01-10"
        assert rows[1]["rectified_on"] is None
