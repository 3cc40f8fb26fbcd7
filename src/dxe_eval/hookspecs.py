"""Every hook a dxe_eval plugin can implement, with both markers.

A plugin is a module (or object) with functions marked ``@hookimpl``; it is
found through the ``dxe_eval`` entry-point group, or registered directly. The
built-in rules, thresholds, calendar and record types are plugins like any
other (see :data:`dxe_eval.manager.BUILTIN_PLUGINS`).

Plugins *register* frozen objects; the engine calls those objects itself, so
every error names the plugin and the rule it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from dxe_eval.model import Calendar, Rule, Threshold
    from dxe_eval.schema import RecordType

PROJECT = "dxe_eval"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------
# Input: what a data set may hold
# ---------------------------------------------------------------------------


@hookspec
def dxe_eval_register_record_types() -> Sequence[RecordType]:
    """Return the record types (files or sheets) this plugin adds to the input contract.

    Called once when a plugin manager's registry is built, before any file is read.
    Each :class:`~dxe_eval.schema.RecordType` names its columns, their Chinese labels
    and value types; a data set may then hold a file of that name. Return an empty
    sequence (or do not implement the hook) when the plugin adds none. Two plugins
    registering the same record type name is an error naming both.
    """
    raise NotImplementedError  # a specification: pluggy calls the implementations


# ---------------------------------------------------------------------------
# Scoring: rules and thresholds
# ---------------------------------------------------------------------------


@hookspec
def dxe_eval_register_rules() -> Sequence[Rule]:
    """Return the scoring rules this plugin provides.

    Called once when the registry is built. A rule is applied only when a ruleset
    names it in a ``[rules.<id>]`` table; its table is structured into the rule's
    ``params`` class. The engine then calls ``rule.collect`` once per evaluation
    and ``rule.score`` once per candidate the rule applies to, inside a guard that
    names this plugin in any error. A rule with ``notes`` has it called once per
    evaluation (in the same guard) for data warnings, which join the evaluation's
    warnings. Two plugins registering the same rule id is an error naming both.
    """
    raise NotImplementedError  # a specification: pluggy calls the implementations


@hookspec
def dxe_eval_register_thresholds() -> Sequence[Threshold]:
    """Return the thresholds (警示 / 责令改正 / 通报批评) this plugin provides.

    Called once when the registry is built. A threshold is assessed only when a
    ruleset names it in a ``[thresholds.<id>]`` table. ``assess`` is called once per
    candidate it applies to, after every threshold of an earlier ``stage``, and
    receives that candidate's earlier findings.
    """
    raise NotImplementedError  # a specification: pluggy calls the implementations


# ---------------------------------------------------------------------------
# Time: working-day calendars
# ---------------------------------------------------------------------------


@hookspec
def dxe_eval_register_calendars() -> Sequence[Calendar]:
    """Return the working-day calendars this plugin provides.

    A ruleset picks one by id in ``[ruleset] calendar`` (default ``cn-statutory``).
    The engine asks ``is_workday`` once per distinct date of the evaluation and
    builds a table from the answers; ``extra_holidays`` and ``extra_workdays`` from
    the ruleset override it.
    """
    raise NotImplementedError  # a specification: pluggy calls the implementations


# ---------------------------------------------------------------------------
# Input formats: readers
# ---------------------------------------------------------------------------


@hookspec
def dxe_eval_register_readers() -> Sequence[Any]:
    """Return the file formats (:class:`dxe_eval.plugin.Reader`) this plugin reads.

    Called once when the registry is built. A data folder's file is read by the reader
    whose ``suffixes`` hold its suffix; ``reader.read(data, record_type, file)`` turns
    the file's bytes into rows of text with the shared reading layer, and validation,
    rejections and counts then go as for every format. The built-in CSV and JSON Lines
    readers are registered by ``dxe_eval.records``. Two plugins registering the same
    reader name is an error naming both.
    """
    raise NotImplementedError  # a specification: pluggy calls the implementations


# ---------------------------------------------------------------------------
# Output: report formats
# ---------------------------------------------------------------------------


@hookspec
def dxe_eval_register_reporters() -> Sequence[Any]:
    """Return the output formats (:class:`dxe_eval.plugin.Reporter`) this plugin adds.

    (Typed ``Any`` here: the specifications are the bottom layer, the reports the top.)

    Called when a command needs the formats (``dxe-eval evaluate --format NAME``). A
    reporter's ``render`` gives the report as text (standard output, or ``--output FILE``);
    its ``write``, when it has one, writes the file(s) itself (a workbook, a folder).
    Two plugins registering the same name is an error naming both; the built-in formats
    are the plugin :mod:`dxe_eval.report.builtin`.
    """
    raise NotImplementedError  # a specification: pluggy calls the implementations
