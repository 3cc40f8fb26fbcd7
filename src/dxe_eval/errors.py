"""Errors that say where: file, row and column; ruleset table and key; plugin and rule.

Every error the library raises for a user's mistake is a :class:`DxeEvalError`.
``str(error)`` is one line in Chinese followed by the English text, so the
command line can print it as it is and exit non-zero without a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DxeEvalError(Exception):
    """Base class of every error dxe_eval raises for bad input, rulesets or plugins."""

    zh: str = "错误"

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.zh_message = zh

    def __str__(self) -> str:
        if self.zh_message:
            return f"{self.zh_message} | {self.message}"
        return self.message


class DataError(DxeEvalError):
    """A data set cannot be read: a missing file or column, an unreadable encoding."""

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        zh: str | None = None,
    ) -> None:
        self.file, self.row, self.column, self.reason = file, row, column, reason
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"row {row}" if row is not None else "",
                f"column {column}" if column else "",
            )
            if part
        )
        where_zh = "，".join(
            part
            for part in (
                f"文件 {file}" if file else "",
                f"第 {row} 行" if row is not None else "",
                f"列 {column}" if column else "",
            )
            if part
        )
        head = f"数据错误（{where_zh}）" if where_zh else "数据错误"
        if zh is None:  # no Chinese text of its own: name the place in Chinese, the reason once
            super().__init__(reason, zh=f"{head}：{reason}")
            self.message = f"{where}: {reason}" if where else reason
            self._once = True
        else:
            super().__init__(f"{where}: {reason}" if where else reason, zh=f"{head}：{zh}")
            self._once = False

    def __str__(self) -> str:
        if self._once:
            return str(self.zh_message)
        return super().__str__()


class RejectedRowsError(DxeEvalError):
    """Raised in strict mode when any row was rejected."""


class RulesetError(DxeEvalError):
    """A ruleset problem, naming the file, the table and the key."""

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        table: str | None = None,
        key: str | None = None,
        zh: str | None = None,
        problems: tuple[RulesetProblem, ...] = (),
    ) -> None:
        self.file, self.table, self.key, self.reason = file, table, key, reason
        self.problems = problems
        where = " ".join(p for p in (file or "", f"[{table}]" if table else "", key or "") if p)
        message = f"{where}: {reason}" if where else reason
        if zh is None:  # the reason is given once, already in Chinese and English where it matters
            super().__init__(message)
        else:
            zh_where = f"{where}: {zh}" if where else zh
            super().__init__(message, zh=f"规则集错误：{zh_where}")

    def __str__(self) -> str:
        if self.zh_message:
            return f"{self.zh_message} | {self.message}"
        return f"规则集错误 ruleset error: {self.message}"


class RulesetProblem(RulesetError):
    """One of several problems found while checking a ruleset."""


class RulesetProblems(RulesetError):
    """Every problem a ruleset check found, reported at once."""

    def __init__(self, problems: Iterable[RulesetProblem]) -> None:
        problems = tuple(problems)
        lines = [str(p) for p in problems]
        DxeEvalError.__init__(
            self,
            f"{len(problems)} problem(s) in ruleset:\n" + "\n".join(lines),
            zh=None,
        )
        self.problems = problems
        self.file = problems[0].file if problems else None
        self.table = problems[0].table if problems else None
        self.key = problems[0].key if problems else None
        self.reason = problems[0].reason if problems else ""

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class CalendarError(DxeEvalError):
    """The working-day calendar cannot count a date (for example, an unknown year)."""


class PluginError(DxeEvalError):
    """A plugin failed: it could not be loaded, or its code raised or returned nonsense."""


class PluginLoadError(PluginError):
    """An entry point could not be imported or registered."""

    def __init__(self, entry_point: str, distribution: str, reason: str) -> None:
        reason = one_line(reason)
        self.entry_point, self.distribution, self.reason = entry_point, distribution, reason
        super().__init__(
            f"plugin {entry_point!r} (distribution {distribution}) failed to load: {reason}",
            zh=f"插件 {entry_point}（{distribution}）加载失败：{reason}",
        )


class RuleError(PluginError):
    """A rule or threshold's code raised or returned an invalid result."""

    def __init__(
        self, rule_id: str, plugin: str, reason: str, candidate_id: str | None = None
    ) -> None:
        reason = one_line(reason)
        self.rule_id, self.plugin, self.candidate_id, self.reason = (
            rule_id,
            plugin,
            candidate_id,
            reason,
        )
        who = f" for candidate {candidate_id}" if candidate_id else ""
        who_zh = f"（对象 {candidate_id}）" if candidate_id else ""
        super().__init__(
            f"rule {rule_id!r} from plugin {plugin!r} failed{who}: {reason}",
            zh=f"插件 {plugin} 的规则 {rule_id} 出错{who_zh}：{reason}",
        )


def plugin_fault(exc: BaseException) -> bool:
    """Whether an exception out of a plugin's code is that plugin's fault, to be reported as
    an error naming it: everything but a real Ctrl-C (``KeyboardInterrupt``), so that a
    plugin's ``SystemExit(0)`` or ``GeneratorExit`` can neither end the run quietly nor
    with success."""
    return not isinstance(exc, KeyboardInterrupt)


def one_line(text: str) -> str:
    """A plugin's own message on one line, so that the command line prints one line per error."""
    return " ⏎ ".join(part.strip() for part in text.splitlines() if part.strip())


def nearest(name: str, choices: Iterable[str]) -> str | None:
    """The closest valid name to ``name``, if any is close enough to suggest."""
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A suffix like ``" (did you mean 'points'?)"`` or the empty string."""
    close = nearest(name, choices)
    return f" (did you mean {close!r}?)" if close else ""
