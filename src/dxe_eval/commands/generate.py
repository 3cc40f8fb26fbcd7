"""``dxe-eval generate``: write a synthetic province-scale data set (for benchmarks)."""

from __future__ import annotations

import argparse
import sys
import time

NAME = "generate"
HELP = "生成模拟数据集（用于性能测试） / write a synthetic data set"


def add_arguments(p: argparse.ArgumentParser) -> None:
    # the defaults of dxe_eval.generate.Sizes, repeated so that --help need not import polars
    for name, label, default in (
        ("units", "单位数 / units", 2000),
        ("people", "人员数 / people", 20000),
        ("projects", "项目数 / projects", 5000),
        ("requests", "服务需求数 / requests", 1_000_000),
        ("surveys", "满意度测评数 / survey responses", 200_000),
    ):
        p.add_argument(
            f"--{name}",
            type=int,
            default=default,
            metavar="N",
            help=f"{label} (default {default:,})",
        )
    p.add_argument("--seed", type=int, default=1, help="随机种子 / random seed (default 1)")
    p.add_argument(
        "--year", type=int, default=2022, help="评价年度 / the year evaluated (default 2022)"
    )
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹 / folder to write into")
    p.add_argument(
        "--force",
        action="store_true",
        help="写入已有内容的文件夹（替换同名文件） / write into a folder that is not empty",
    )
    p.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        default="csv",
        help="csv（每类记录一个文件）或 xlsx（一个工作簿，仅限小数据量） / output format",
    )


def run(args: argparse.Namespace) -> int:
    from dxe_eval.generate import Sizes, generate

    sizes = Sizes(
        units=args.units,
        people=args.people,
        projects=args.projects,
        requests=args.requests,
        surveys=args.surveys,
    )
    start = time.perf_counter()
    counts = generate(
        args.out, sizes, seed=args.seed, year=args.year, fmt=args.format, force=args.force
    )
    took = time.perf_counter() - start
    width = max(len(k) for k in counts)
    for name, n in counts.items():
        print(f"{name:<{width}}  {n:>10,}", file=args.stdout)
    print(
        f"已写入 {args.out}，共 {sum(counts.values()):,} 行，用时 {took:.1f} 秒 "
        f"(wrote {sum(counts.values()):,} rows in {took:.1f} s)",
        file=sys.stderr,
    )
    return 0
