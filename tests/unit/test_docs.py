"""Docs that cannot go stale: generated references are current, every name is documented,
and every Python sample in docs/ runs."""

from __future__ import annotations

import importlib.util
import re

import pytest

from dxe_eval import hookspecs
from tests import builders

DOCS = builders.ROOT / "docs"


def _gen():
    spec = importlib.util.spec_from_file_location("gen_reference", DOCS / "gen_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _all_docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md")))


def test_generated_reference_is_current() -> None:
    for name, text in _gen().generate().items():
        page = DOCS / "reference" / name
        assert page.read_text(encoding="utf-8") == text, (
            f"docs/reference/{name} is stale: run python docs/gen_reference.py"
        )


def test_every_hook_rule_threshold_parameter_command_and_flag_is_documented() -> None:
    text = _all_docs()
    reg = builders.registry()
    names = [n for n in dir(hookspecs) if n.startswith("dxe_eval_")]
    names += list(reg.rules) + list(reg.thresholds) + list(reg.calendars)
    for obj in [*reg.rules.values(), *reg.thresholds.values()]:
        import attrs

        names += [f"`{a.name}`" for a in attrs.fields(obj.params)]
    from dxe_eval.cli import build_parser

    parser, commands = build_parser()
    names += [f"dxe-eval {c}" for c in commands]
    for action in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        for a in action._actions:
            names += [o for o in a.option_strings if o not in ("-h", "--help")]
    missing = sorted({n for n in names if n not in text})
    assert not missing, f"not in docs/: {missing}"


def _python_samples() -> list[tuple[str, str]]:
    out = []
    for page in sorted(DOCS.glob("*.md")):
        for i, block in enumerate(
            re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
        ):
            out.append((f"{page.name}#{i}", block))
    return out


@pytest.mark.parametrize("name,code", _python_samples(), ids=[n for n, _ in _python_samples()])
def test_python_samples_run(name: str, code: str) -> None:
    exec(compile(code, name, "exec"), {"__name__": f"docs_sample_{name}"})
