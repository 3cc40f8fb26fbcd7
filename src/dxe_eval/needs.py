"""The input columns enabled rules and thresholds need, checked against the files read.

A rule or threshold declares, in ``needs``, the columns (``"requests.responded_at"``)
without which its results would be wrong rather than empty: without 首次响应时间
every request would count as unanswered. A file of that record type that has
rows but lacks such a column stops the run with an error naming the rule, the
file and the column, unless the ruleset disables the rule (``enabled = false``).
A record type with no file at all is no data, not missing data: nothing to say; nor
are records (JSON Lines, mappings in memory) that may leave out an empty value's key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from dxe_eval.errors import DataError, PluginError
from dxe_eval.model import Rule, Threshold
from dxe_eval.read.raw import Dataset
from dxe_eval.schema import RecordType


def check_declared(objs: Mapping[str, Rule | Threshold], types: Mapping[str, RecordType]) -> None:
    """Raise when a rule or threshold needs a column the contract does not have."""
    for obj in objs.values():
        for need in obj.needs:
            name, _, column = need.partition(".")
            rt = types.get(name)
            if rt is None or column not in {c.name for c in rt.columns}:
                raise PluginError(
                    f"{obj.id!r} of plugin {obj.plugin!r} needs {need!r}, which is no column of "
                    'the input contract (use "record_type.column")',
                    zh=f"插件 {obj.plugin} 的 {obj.id} 声明需要的列 {need} 不在数据格式中",
                )


class _Enabled(Protocol):
    """What :func:`check_needs` reads of a ruleset (:class:`dxe_eval.ruleset.Ruleset`): the
    ids of the enabled rules and thresholds."""

    @property
    def rules(self) -> Mapping[str, Any]: ...
    @property
    def thresholds(self) -> Mapping[str, Any]: ...


class _Plugins(Protocol):
    """What :func:`check_needs` reads of a registry (:class:`dxe_eval.manager.Registry`)."""

    @property
    def rules(self) -> Mapping[str, Rule]: ...
    @property
    def thresholds(self) -> Mapping[str, Threshold]: ...
    @property
    def record_types(self) -> Mapping[str, RecordType]: ...


def check_needs(dataset: Dataset, ruleset: _Enabled, registry: _Plugins) -> None:
    """Raise naming the first enabled rule or threshold, file and column, when a file with
    rows lacks a column it needs."""
    types = registry.record_types
    enabled: list[tuple[str, str, Rule | Threshold]] = [
        ("rule", "rules", registry.rules[r]) for r in ruleset.rules
    ] + [("threshold", "thresholds", registry.thresholds[t]) for t in ruleset.thresholds]
    for noun, table, obj in enabled:
        for need in obj.needs:
            name, _, column = need.partition(".")
            for file in dataset.columns:
                if (
                    file.record_type != name
                    or not file.tabular
                    or not file.rows
                    or column in file.headers
                ):
                    continue
                col = types[name].column(column)
                label = types[name].label
                zh_noun = "规则" if noun == "rule" else "阈值"
                raise DataError(
                    f"{noun} {obj.id!r} needs column {column!r} ({col.label}) of {name}, which "
                    f"{file.file} ({file.rows} rows) does not have: without it the {noun} "
                    f"would judge wrongly; add the column, or disable the {noun} in the ruleset "
                    f"([{table}.{obj.id}] enabled = false)",
                    file=file.file,
                    column=column,
                    zh=f"{zh_noun} {obj.id} 需要 {label} 的列 {col.label}（{column}），"
                    f"文件 {file.file} 有 {file.rows} 行数据却没有这一列，缺了它结果会出错；"
                    f"请补上该列，或在规则集中停用该{zh_noun}"
                    f"（[{table}.{obj.id}] enabled = false）",
                )
