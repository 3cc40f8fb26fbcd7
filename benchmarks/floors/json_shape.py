#!/usr/bin/env python3
"""Floor of the JSON's size: how small the contract's document can be, by what it holds.

Usage: python benchmarks/floors/json_shape.py DATA_DIR [--candidates N]

Evaluates ``DATA_DIR`` with ``dxe-eval``'s engine and the default ruleset, then
measures the JSON document (``dxe_eval.to_dict``) in memory, written by orjson:

- as the contract has it, indented (the default) and ``--compact``, with every
  evidence id, the first 20 of each list, and none (``--evidence``);
- then with parts of every rule entry taken away, to find what the size is made of:
  the English reason (one language), then the Chinese reason, the title and the
  plugin too. What is left of a rule entry is its id, points, maximum, whether it
  applies and is a bonus, and its (empty) evidence: the keys and numbers that no
  JSON of the contract can do without.

Each figure is also given per candidate and for ``--candidates`` candidates (the
national size: 60,000 units, 600,000 people and 150,000 projects), which is how
the document grows: a candidate's entry does not depend on how many requests
there are, beyond its evidence ids.
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path
from typing import Any

import orjson

NATIONAL = 810_000


def size(doc: dict[str, Any], indent: bool) -> int:
    return len(orjson.dumps(doc, option=orjson.OPT_INDENT_2 if indent else 0)) + 1


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path)
    p.add_argument("--candidates", type=int, default=NATIONAL)
    args = p.parse_args()
    gc.disable()
    from dxe_eval import engine
    from dxe_eval.report.json import to_dict

    ev = engine.evaluate(args.data)
    n = len(ev.scorecards)
    rows = []
    for evidence in ("all", "first:20", "none"):
        doc = to_dict(ev, evidence=evidence)
        for indent in (True, False):
            rows.append((f"contract, --evidence {evidence}", indent, size(doc, indent)))
    doc = to_dict(ev, evidence="none")
    cuts = (
        ("no reason_en (one language)", ("reason_en",)),
        ("no reasons", ("reason",)),
        ("no reasons, titles, plugins", ("title", "plugin")),
    )
    for what, keys in cuts:
        for card in doc["scorecards"]:
            for rule in card["rules"]:
                for key in keys:
                    rule.pop(key, None)
        rows.append((f"{what}, --evidence none", False, size(doc, False)))
    print(f"{n:,} candidates in {args.data.name}; projected to {args.candidates:,}")
    print(f"{'document':45s} {'layout':9s} {'size':>10s} {'per cand.':>10s} {'projected':>10s}")
    for what, indent, b in rows:
        per = b / n
        print(
            f"{what:45s} {'indented' if indent else 'compact':9s} {b / 1e6:8.1f} MB "
            f"{per:8.0f} B {per * args.candidates / 1e9:8.2f} GB"
        )


if __name__ == "__main__":
    main()
