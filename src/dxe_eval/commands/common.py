"""Options shared by the commands that evaluate, and the evaluation they lead to."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from typing import IO, Any

from dxe_eval.read.limits import MB, ReadLimits
from dxe_eval.schema import label_of
from dxe_eval.terminal import terminal_safe


def add_disable(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="停用插件（可重复；也可用环境变量 DXE_EVAL_DISABLE_PLUGINS） / disable a plugin",
    )


def add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        metavar="PATH",
        help="数据文件夹或 .xlsx 工作簿（默认：内置示例） / data folder or workbook",
    )
    add_reading(p)


def add_reading(p: argparse.ArgumentParser) -> None:
    """``--lenient`` and ``--xlsx-limit-mb``: how the data are read."""
    p.add_argument(
        "--lenient",
        action="store_true",
        help="表头与数据格式的列名只差一两个字时提示后忽略该列，而不是报错 "
        "/ a header that is a near miss of a contract column is a warning, not an error",
    )
    p.add_argument(
        "--xlsx-limit-mb",
        type=int,
        default=ReadLimits().xlsx_bytes // MB,
        metavar="MB",
        help="工作簿解压后的大小上限（默认 %(default)s MB） "
        "/ the most a workbook may unpack to (default %(default)s MB)",
    )


def reading(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``prepare`` and ``evaluate`` that ``add_reading`` gives."""
    return {
        "lenient": getattr(args, "lenient", False),
        "limits": ReadLimits(
            xlsx_bytes=getattr(args, "xlsx_limit_mb", ReadLimits().xlsx_bytes // MB) * MB
        ),
    }


def add_ruleset(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ruleset",
        metavar="FILE",
        help="规则集文件或内置规则集名称（默认 hubei-2022） / ruleset file or name",
    )


def add_data_options(p: argparse.ArgumentParser, *, ruleset: bool = True) -> None:
    """``--data``, ``--ruleset``, ``--disable-plugin`` and ``--strict``."""
    add_data(p)
    if ruleset:
        add_ruleset(p)
    add_disable(p)
    p.add_argument(
        "--strict", action="store_true", help="有任何拒收行即停止 / stop on any rejected row"
    )


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language")


def registry(args: argparse.Namespace) -> Any:
    from dxe_eval.manager import get_registry

    return get_registry(disabled=args.disable_plugin)


def evaluate(args: argparse.Namespace, *, progress: Any = None) -> Any:
    """Evaluate as the shared options say; ``progress`` is the engine's stage callback."""
    from dxe_eval.engine import evaluate as run_evaluation

    return run_evaluation(
        args.data,
        getattr(args, "ruleset", None),
        registry=registry(args),
        strict=args.strict,
        progress=progress,
        **reading(args),
    )


def write_text(text: str, output: str | None, stdout: IO[str]) -> None:
    """Write to ``output`` (named explicitly by the user, so it may be overwritten, whole or
    not at all) or to ``stdout`` (the command's standard output, ``args.stdout``)."""
    if output:
        from dxe_eval.files import write_text as write_file

        write_file(output, text)
    else:
        stdout.write(text)


def date_arg(text: str) -> dt.date:
    """An argparse ``type`` for a date flag (``--date``, ``--on``): ``2023-01-15`` or
    ``2023/01/15``, spaces around it ignored; else argparse's error naming the flag."""
    try:
        return dt.date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应写作 YYYY-MM-DD，如 2023-01-15，而不是 {text!r} / "
            "expected a date as YYYY-MM-DD, like 2023-01-15"
        ) from None


def note_rejections(ev: Any) -> None:
    """Say on stderr how many rows of each type were rejected (``ev``: anything with a
    ``dataset``, an evaluation or a prepared data set)."""
    types = getattr(getattr(ev, "registry", None), "record_types", {})
    blanked = {k: c.blanked for k, c in ev.dataset.counts.items() if c.blanked}
    if blanked:
        n = sum(blanked.values())
        detail = "，".join(f"{label_of(types, k)} {v} 个" for k, v in blanked.items())
        detail_en = ", ".join(f"{k} {v}" for k, v in blanked.items())
        print(
            f"提示：{n} 个单元格取值无效，已置空（{detail}），详见置空清单 "
            f"/ {n} cell(s) left empty ({detail_en})",
            file=sys.stderr,
        )
    counts = {k: c.rejected for k, c in ev.dataset.counts.items() if c.rejected}
    if counts:
        n = sum(counts.values())
        detail = "，".join(f"{label_of(types, k)} {v} 行" for k, v in counts.items())
        detail_en = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(
            f"提示：{n} 行数据被拒收（{detail}），详见拒收清单 / {n} row(s) rejected ({detail_en})",
            file=sys.stderr,
        )


def note_warnings(*evs: Any, more: Iterable[str] = ()) -> None:
    """Print the warnings of ``evs`` (evaluations), then ``more``, on stderr, each once, as
    ``提示 / note``: ignored columns and sheets, a period holding no data or outside the
    ruleset's validity.

    For a report that has no 提示 part of its own: JSON, a file, the commendation lists,
    an explanation."""
    for warning in dict.fromkeys([*(w for ev in evs for w in ev.warnings), *more]):
        print(f"提示 / note: {terminal_safe(warning)}", file=sys.stderr)
