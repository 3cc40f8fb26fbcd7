"""The output formats the installed plugins register, by name.

The built-in formats are a plugin like any other (:mod:`dxe_eval.report.builtin`),
registered on the same plugin manager as the rules; a plugin adds a format by
returning a :class:`~dxe_eval.report.reporter.Reporter` from
``dxe_eval_register_reporters``. Two reporters of one name are an error naming both
plugins.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pluggy

from dxe_eval.errors import PluginError, plugin_fault
from dxe_eval.manager import get_plugin_manager
from dxe_eval.report import builtin
from dxe_eval.report.reporter import Reporter

HOOK = "dxe_eval_register_reporters"


def reporters(
    *, disabled: Iterable[str] = (), extra: Iterable[Any] = (), autoload: bool = True
) -> dict[str, Reporter]:
    """Every registered reporter by name: the built-in formats, then the plugins'.

    ``disabled``, ``extra`` and ``autoload`` as :func:`dxe_eval.manager.get_plugin_manager`
    takes them (``extra``: plugin modules or objects registered directly).
    """
    pm = get_plugin_manager(autoload=autoload, disabled=disabled, extra=(builtin, *extra))
    return reporters_of(pm)


def reporters_of(pm: pluggy.PluginManager) -> dict[str, Reporter]:
    """The reporters ``pm``'s plugins register, each hook implementation in its own guard."""
    out: dict[str, Reporter] = {}
    for impl in getattr(pm.hook, HOOK).get_hookimpls():
        name = impl.plugin_name
        try:
            items = list(impl.function() or ())
        except BaseException as exc:
            if not plugin_fault(exc):
                raise
            raise PluginError(
                f"plugin {name!r} raised in {HOOK}: {type(exc).__name__}: {exc}",
                zh=f"插件 {name} 在 {HOOK} 中出错：{exc}",
            ) from exc
        for item in items:
            if not isinstance(item, Reporter):
                raise PluginError(
                    f"plugin {name!r} returned {type(item).__name__} from {HOOK}, not Reporter",
                    zh=f"插件 {name} 的 {HOOK} 返回的不是 Reporter",
                )
            if item.name in out:
                raise PluginError(
                    f"reporter {item.name!r} is registered by both "
                    f"{out[item.name].plugin!r} and {name!r}",
                    zh=f"输出格式 {item.name} 被插件 {out[item.name].plugin} 和 {name} 重复注册",
                )
            out[item.name] = attrs.evolve(item, plugin=name)
    return out
