"""``dxe-eval example --out DIR``: copy the bundled example data set and ruleset out of the
installed package, to read, edit and evaluate (``dxe-eval evaluate --data DIR/hubei-2022
--ruleset DIR/hubei-2022.toml``)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "example"
HELP = "导出内置示例数据和规则集 / copy the bundled example data and ruleset out"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="写入的文件夹（其中已有同名文件时不覆盖） / the folder to write into "
        "(files already there are not overwritten)",
    )


def run(args: argparse.Namespace) -> int:
    from importlib import resources

    from dxe_eval.engine import DEFAULT_DATA
    from dxe_eval.errors import DxeEvalError
    from dxe_eval.files import write_bytes
    from dxe_eval.ruleset import DEFAULT_RULESET

    data = resources.files("dxe_eval") / "data"
    folder = data / "examples" / DEFAULT_DATA
    out = Path(args.out)
    # what goes where: the CSV folder, its workbook and the ruleset, under their own names
    plan = [
        (entry, out / DEFAULT_DATA / entry.name)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file()
    ]
    plan.append((data / "examples" / f"{DEFAULT_DATA}.xlsx", out / f"{DEFAULT_DATA}.xlsx"))
    plan.append((data / "rulesets" / f"{DEFAULT_RULESET}.toml", out / f"{DEFAULT_RULESET}.toml"))
    there = [str(target) for _, target in plan if target.exists()]
    if there:
        raise DxeEvalError(
            f"not overwriting {', '.join(there)}: choose another --out folder",
            zh=f"不覆盖已有文件 {'、'.join(there)}：请换一个 --out 文件夹",
        )
    for source, target in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, source.read_bytes())
    print(
        f"已写入 {len(plan)} 个文件到 {out} / wrote {len(plan)} files into {out}\n"
        f"dxe-eval evaluate --data {out / DEFAULT_DATA} --ruleset "
        f"{out / (DEFAULT_RULESET + '.toml')}",
        file=args.stdout,
    )
    return 0
