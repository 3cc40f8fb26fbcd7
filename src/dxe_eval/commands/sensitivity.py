"""``dxe-eval sensitivity``: how much the commendation lists depend on the exact weights."""

from __future__ import annotations

import argparse
import sys

from dxe_eval.commands.common import (
    add_data,
    add_disable,
    add_lang,
    add_ruleset,
    note_rejections,
    reading,
    registry,
)

NAME = "sensitivity"
HELP = "权重敏感性分析：随机变动各项分值，看表彰名单是否稳定 / weight sensitivity of the lists"


def _spread(text: str) -> float:
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage like 10%, got {text!r}") from None
    if value >= 1 and not raw.endswith("%"):
        value /= 100  # "10" means 10 %
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"spread must be from 0% to under 100%, got {text!r}")
    return value


def _runs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"runs must be at least 1, got {n}")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--spread",
        type=_spread,
        default=0.10,
        help="每项分值的变动幅度（默认 10%%） / how far each weight may move (default 10%%)",
    )
    p.add_argument(
        "--runs", type=_runs, default=1000, help="次数（默认 1000） / runs (default 1000)"
    )
    p.add_argument(
        "--seed", type=int, default=0, help="随机种子（默认 0，可复现） / random seed (default 0)"
    )
    add_data(p)
    add_ruleset(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--via-run",
        action="store_true",
        help="每次完整重算（较慢，用于核对） / re-run the whole engine every time (slower)",
    )
    add_lang(p)
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.engine import default_data, prepare
    from dxe_eval.report.json import dumps
    from dxe_eval.ruleset import DEFAULT_RULESET, load_ruleset
    from dxe_eval.whatif import sensitivity, sensitivity_table, sensitivity_to_dict

    reg = registry(args)
    rs = load_ruleset(args.ruleset or DEFAULT_RULESET, reg)
    prepared = prepare(args.data or default_data(), rs, reg, **reading(args))
    result = sensitivity(
        prepared,
        rs,
        reg,
        spread=args.spread,
        runs=args.runs,
        seed=args.seed,
        via_run=args.via_run,
    )
    if args.format == "json":
        # json.dumps(indent=2)'s text, in C
        print(dumps(sensitivity_to_dict(result)), file=args.stdout)
    else:
        args.stdout.write(sensitivity_table(result, lang=args.lang))
    print(f"用时 {result.seconds:.1f} 秒 / took {result.seconds:.1f} s", file=sys.stderr)
    note_rejections(prepared)
    return 0
