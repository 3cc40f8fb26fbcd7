"""Builds the plugin manager and the registry of rules, thresholds, calendars and record types.

This module is the only caller of ``pm.hook.*``. A fresh manager is built per
call of :func:`get_plugin_manager`; nothing is loaded at import time.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any, TypeVar

import attrs
import pluggy
from attrs import field, frozen

import dxe_eval.hookspecs as hookspecs
from dxe_eval.errors import PluginError, PluginLoadError, plugin_fault
from dxe_eval.model import Calendar, Rule, Threshold
from dxe_eval.needs import check_declared
from dxe_eval.read.raw import Reader
from dxe_eval.schema import RecordType
from dxe_eval.version import __version__

ENTRY_POINT_GROUP = hookspecs.PROJECT
DISABLE_ENV = "DXE_EVAL_DISABLE_PLUGINS"

#: What a ``register`` hook may return.
_Registered = TypeVar("_Registered", Rule, Threshold, Calendar, RecordType, Reader)

#: The built-in plugins, by module name, registered exactly like third-party ones.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "dxe_eval.records",
    "dxe_eval.calendar",
    "dxe_eval.rules.standard",
    "dxe_eval.rules.ledger",
    "dxe_eval.rules.supervision",
    "dxe_eval.rules.key_projects",
    "dxe_eval.rules.summary",
    "dxe_eval.rules.follow_up",
    "dxe_eval.rules.evaluation",
    "dxe_eval.rules.publicity",
    "dxe_eval.rules.satisfaction",
    "dxe_eval.rules.timeliness",
    "dxe_eval.rules.media_bonus",
    "dxe_eval.thresholds.late_response",
    "dxe_eval.thresholds.not_delivered",
    "dxe_eval.thresholds.bad_review_rate",
    "dxe_eval.thresholds.unrectified",
    "dxe_eval.thresholds.escalation",
)


@frozen(kw_only=True)
class PluginInfo:
    """What ``dxe-eval plugins`` lists for one plugin."""

    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...]
    rules: tuple[str, ...] = ()
    thresholds: tuple[str, ...] = ()
    calendars: tuple[str, ...] = ()
    record_types: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()
    builtin: bool = False
    enabled: bool = True


@frozen(kw_only=True)
class Registry:
    """Everything the installed, enabled plugins provide, keyed by id."""

    rules: Mapping[str, Rule] = field(factory=dict)
    thresholds: Mapping[str, Threshold] = field(factory=dict)
    calendars: Mapping[str, Calendar] = field(factory=dict)
    record_types: Mapping[str, RecordType] = field(factory=dict)
    #: the file formats a data folder may hold, by name
    readers: Mapping[str, Reader] = field(factory=dict)
    plugins: tuple[PluginInfo, ...] = ()


def disabled_from_env(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Plugin names listed (comma-separated) in ``DXE_EVAL_DISABLE_PLUGINS``."""
    raw = (environ if environ is not None else os.environ).get(DISABLE_ENV, "")
    return tuple(name.strip() for name in raw.split(",") if name.strip())


def get_plugin_manager(
    *,
    autoload: bool = True,
    disabled: Iterable[str] = (),
    extra: Iterable[ModuleType | object] = (),
) -> pluggy.PluginManager:
    """A fresh plugin manager: specs, blocked names, built-ins, entry points, extras.

    Each entry point is loaded inside its own guard; a failure raises
    :class:`PluginLoadError` naming the entry point and its distribution.
    ``check_pending()`` makes a misspelled hook name fail here, at start.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    blocked = set(disabled) | set(disabled_from_env())
    for name in blocked:
        pm.set_blocked(name)
    for modname in BUILTIN_PLUGINS:
        if modname in blocked:
            continue
        pm.register(importlib.import_module(modname), name=modname)
    if autoload:
        for ep in sorted(
            importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
        ):
            if ep.name in blocked or pm.get_plugin(ep.name) is not None:
                continue
            dist = ep.dist.name if ep.dist is not None else "?"
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
            except BaseException as exc:  # a plugin's import may raise anything
                if not plugin_fault(exc):
                    raise
                raise PluginLoadError(ep.name, dist, f"{type(exc).__name__}: {exc}") from exc
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        pm.register(plugin, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r}: {exc}", zh=f"插件钩子名称错误：{exc}") from exc
    return pm


def _dist_of(
    eps: Mapping[str, importlib.metadata.EntryPoint], name: str, plugin: object
) -> tuple[str, str]:
    ep = eps.get(name)
    if ep is not None and ep.dist is not None:
        return ep.dist.name, ep.dist.version
    if name in BUILTIN_PLUGINS:
        return "dxe-eval", _own_version()
    module = getattr(plugin, "__module__", None) or getattr(plugin, "__name__", "")
    return (module or name), ""


def _own_version() -> str:
    return __version__


def _call(pm: pluggy.PluginManager, hook_name: str) -> list[tuple[str, Any]]:
    """Call one ``register`` hook implementation by implementation, naming the plugin in errors."""
    out: list[tuple[str, Any]] = []
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():  # registration order: built-ins, then entry points
        name = impl.plugin_name
        try:
            items = impl.function()
        except BaseException as exc:
            if not plugin_fault(exc):
                raise
            raise PluginError(
                f"plugin {name!r} raised in {hook_name}: {type(exc).__name__}: {exc}",
                zh=f"插件 {name} 在 {hook_name} 中出错：{exc}",
            ) from exc
        for item in items or ():
            out.append((name, item))
    return out


def build_registry(pm: pluggy.PluginManager) -> Registry:
    """Ask every plugin what it registers; duplicate ids are errors naming both plugins."""

    def collect(hook: str, cls: type[_Registered], *, by_id: bool = True) -> dict[str, _Registered]:
        found: dict[str, _Registered] = {}
        for plugin_name, obj in _call(pm, hook):
            if not isinstance(obj, cls):
                raise PluginError(
                    f"plugin {plugin_name!r} returned {type(obj).__name__} from {hook}, "
                    f"expected {cls.__name__}",
                    zh=f"插件 {plugin_name} 的 {hook} 返回了错误的类型",
                )
            # record types are keyed by name, everything else by id
            key = obj.name if isinstance(obj, RecordType | Reader) else obj.id
            if key in found:
                raise PluginError(
                    f"{cls.__name__.lower()} {key!r} is registered by both "
                    f"{found[key].plugin!r} and {plugin_name!r}",
                    zh=f"{key} 被插件 {found[key].plugin} 与 {plugin_name} 重复注册",
                )
            found[key] = attrs.evolve(obj, plugin=plugin_name)
        return dict(sorted(found.items())) if by_id else found

    rules = collect("dxe_eval_register_rules", Rule)
    thresholds = collect("dxe_eval_register_thresholds", Threshold)
    calendars = collect("dxe_eval_register_calendars", Calendar)
    # record types keep registration order (built-ins in contract order, then plugins by name)
    record_types = collect("dxe_eval_register_record_types", RecordType, by_id=False)
    readers = collect("dxe_eval_register_readers", Reader)

    infos = []
    # read the installed distributions' metadata once, not once per plugin
    entry_points = {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda p: p[0]):
        if plugin is None:
            # blocked (disabled): listed with enabled=False when it names a real plugin;
            # it is not imported, so what it would provide is not known
            if name in BUILTIN_PLUGINS or name in entry_points:
                dist, version = _dist_of(entry_points, name, None)
                infos.append(
                    PluginInfo(
                        name=name,
                        distribution=dist,
                        version=version,
                        hooks=(),
                        builtin=name in BUILTIN_PLUGINS,
                        enabled=False,
                    )
                )
            continue
        dist, version = _dist_of(entry_points, name, plugin)
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        infos.append(
            PluginInfo(
                name=name,
                distribution=dist,
                version=version,
                hooks=hooks,
                rules=tuple(k for k, v in rules.items() if v.plugin == name),
                thresholds=tuple(k for k, v in thresholds.items() if v.plugin == name),
                calendars=tuple(k for k, v in calendars.items() if v.plugin == name),
                record_types=tuple(k for k, v in record_types.items() if v.plugin == name),
                readers=tuple(k for k, v in readers.items() if v.plugin == name),
                builtin=name in BUILTIN_PLUGINS,
            )
        )
    check_declared(rules, record_types)
    check_declared(thresholds, record_types)
    return Registry(
        rules=rules,
        thresholds=thresholds,
        calendars=calendars,
        record_types=record_types,
        readers=readers,
        plugins=tuple(infos),
    )


def get_registry(
    *, autoload: bool = True, disabled: Iterable[str] = (), extra: Iterable[Any] = ()
) -> Registry:
    """Build a fresh plugin manager and ask it for the registry."""
    return build_registry(get_plugin_manager(autoload=autoload, disabled=disabled, extra=extra))
