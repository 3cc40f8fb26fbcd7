"""The one cattrs converter of dxe_eval, and the rendering of its errors as "what @ where".

Primitives are structured strictly: ``1.5`` is not an ``int``, ``"30"`` is not
a ``float`` (nor are TOML's ``inf`` and ``nan``) and ``1`` is not a ``bool``, so a
ruleset's typo is named rather than silently coerced. TOML dates arrive as
``datetime.date`` and become ``pendulum.Date``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, get_origin

import attrs
import cattrs
import pendulum
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence, list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn

converter = cattrs.Converter(forbid_extra_keys=True)


def _strict_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _strict_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    if not math.isfinite(value):  # TOML allows inf and nan; no parameter means either
        raise TypeError(f"expected a finite number, got {value!r} 应为有限的数字")
    return float(value)


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value


def _strict_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.datetime):  # shown as written (ISO), not as Python's repr
        raise TypeError(
            f"expected a date like 2022-01-01, got a date and time {value.isoformat()} "
            "应为日期（不带时间）"
        )
    if isinstance(value, dt.time):
        raise TypeError(
            f"expected a date like 2022-01-01, got a time {value.isoformat()} 应为日期（不是时间）"
        )
    if isinstance(value, dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            d = dt.date.fromisoformat(value)
        except ValueError:
            raise TypeError(f"expected a date like 2022-01-01, got {value!r}") from None
        return pendulum.Date(d.year, d.month, d.day)
    raise TypeError(f"expected a date, got {value!r}")


converter.register_structure_hook(int, _strict_int)
converter.register_structure_hook(float, _strict_float)
converter.register_structure_hook(str, _strict_str)
converter.register_structure_hook(bool, _strict_bool)
converter.register_structure_hook(dt.date, _date)
converter.register_structure_hook(pendulum.Date, _date)
converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
converter.register_unstructure_hook(pendulum.Date, lambda d: d.isoformat())
converter.register_unstructure_hook(frozenset, lambda s: sorted(s))


def _sequence_hook(t: Any) -> Callable[[Any, Any], Any]:
    """Lists and tuples refuse text and tables: ``"id"`` is not ``["i", "d"]``."""
    make = homogenous_tuple_structure_factory if get_origin(t) is tuple else list_structure_factory
    base = make(t, converter)

    def hook(value: Any, cls: Any) -> Any:
        if isinstance(value, str | bytes | Mapping):
            raise TypeError(f"expected a list, got {value!r}")
        return base(value, cls)

    return hook


def _table_hook(cl: type[Any]) -> Callable[[Any, Any], Any]:
    """An attrs class is structured from a table only; anything else is named as such."""
    base = make_dict_structure_fn(cl, converter)

    def hook(value: Any, cls: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a table, got {value!r}")
        return base(value, cls)

    return hook


converter.register_structure_hook_factory(is_sequence, _sequence_hook)
converter.register_structure_hook_factory(attrs.has, _table_hook)


def structure(data: Any, cls: type) -> Any:
    """Structure ``data`` into ``cls`` with the one converter."""
    return converter.structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Unstructure any dxe_eval value with the one converter."""
    return converter.unstructure(obj)


_VALIDATOR_KEY = re.compile(r"^'([A-Za-z_][A-Za-z0-9_]*)'")


def _field_names(cls: type | None) -> list[str]:
    if cls is not None and attrs.has(cls):
        return [a.name for a in attrs.fields(cls)]
    return []


def _extra_keys(
    error: ForbiddenExtraKeysError, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], str, list[str]]]:
    """Each unknown key of a table; a key the class lists in ``REMOVED_KEYS`` (a mapping of
    removed key to what replaced it) is named as removed, with its replacement."""
    removed: Mapping[str, str] = getattr(error.cl, "REMOVED_KEYS", {})
    for extra in sorted(error.extra_fields):
        if extra in removed:
            yield (*path, extra), f"removed key 已删除的键: {removed[extra]}", []
        else:
            yield (*path, extra), "unknown key 未知的键", _field_names(error.cl)


def _message(exc: BaseException) -> str:
    """The text of an error; attrs validators raise ``(message, attribute, …)`` tuples."""
    if len(exc.args) > 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


def iter_problems(
    exc: BaseException, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str, list[str]]]:
    """Walk a cattrs error tree; yield ``(key path, reason, valid names at that level)``."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        cls = getattr(exc, "cl", None)
        for sub in exc.exceptions:
            notes = [
                n for n in getattr(sub, "__notes__", []) if isinstance(n, AttributeValidationNote)
            ]
            sub_path = path + ((notes[0].name,) if notes else ())
            if isinstance(sub, ForbiddenExtraKeysError):
                yield from _extra_keys(sub, path)
            elif isinstance(sub, ClassValidationError | IterableValidationError):
                yield from iter_problems(sub, sub_path)
            elif isinstance(sub, KeyError) and notes:
                yield sub_path, "required value missing 缺少必填值", []
            else:
                message = _message(sub)
                if not notes:
                    match = _VALIDATOR_KEY.match(message)
                    if match:
                        sub_path = (*path, match.group(1))
                yield sub_path, message, _field_names(cls)
    elif isinstance(exc, ForbiddenExtraKeysError):
        yield from _extra_keys(exc, path)
    else:
        message = _message(exc)
        match = _VALIDATOR_KEY.match(message)
        yield ((*path, match.group(1)) if match else path), message, []
