"""The layers of the package hold: no import cycle, no import from a higher layer, and no
import inside a function outside the command line except the marked ones that keep
``dxe-eval --version`` fast.

The layers, bottom to top, are drawn in ``docs/architecture.md``; :data:`LAYERS` is the one
place they are written down for the code. A module that no entry places is an error: a new
module must be given its layer here (and on the architecture page) when it is added. There is
no exception list.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

#: bottom to top; a module is placed by the longest prefix that names it or its package
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "dxe_eval.version",
            "dxe_eval.errors",
            "dxe_eval.numbers",
            "dxe_eval.model",
            "dxe_eval.schema",
            "dxe_eval.hookspecs",
            "dxe_eval.terminal",
            "dxe_eval.progress",
            "dxe_eval.files",
            "dxe_eval.convert",
            "dxe_eval.changes",
            "dxe_eval.service",
        ),
    ),
    ("read", ("dxe_eval.read",)),
    (
        "index",
        (
            "dxe_eval.calendar",
            "dxe_eval.records",
            "dxe_eval.evidence",
            "dxe_eval.needs",
            "dxe_eval.manager",
            "dxe_eval.ruleset",
        ),
    ),
    ("plugins", ("dxe_eval.scoring", "dxe_eval.rules", "dxe_eval.thresholds")),
    (
        "engine",
        (
            "dxe_eval.totals",
            "dxe_eval.commend",
            "dxe_eval.peer_groups",
            "dxe_eval.result",
            "dxe_eval.engine",
            "dxe_eval.rescore",
            "dxe_eval.whatif",
            "dxe_eval.cases",
            "dxe_eval.generate",
        ),
    ),
    ("report", ("dxe_eval.report", "dxe_eval.template", "dxe_eval.verify")),
    ("archive", ("dxe_eval.archive",)),
    # the façades: the library's API and the plugin authors' (which re-exports reporters)
    ("api", ("dxe_eval", "dxe_eval.plugin")),
    ("commands", ("dxe_eval.commands", "dxe_eval.cli")),
)

#: the comment that marks an import kept inside a function to keep start-up fast
LAZY = "# lazy: start-up"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted((SRC / "dxe_eval").rglob("*.py"))}


def layer_of(module: str) -> int:
    best, where = -1, -1
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, where = len(prefix), rank
    if where < 0:
        raise AssertionError(f"{module} has no layer: add it to LAYERS and docs/architecture.md")
    return where


def _resolve(importer: str, node: ast.ImportFrom | ast.Import) -> Iterator[str]:
    """The dxe_eval modules an import statement names (a name imported from a package is
    the submodule when there is one)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            is_package = MODULES[importer].name == "__init__.py"
            base = importer.split(".")
            base = base[: len(base) - node.level + (1 if is_package else 0)]
            origin = ".".join(base + ([node.module] if node.module else []))
        else:
            origin = node.module or ""
        names = [
            f"{origin}.{a.name}" if f"{origin}.{a.name}" in MODULES else origin for a in node.names
        ]
    for name in names:
        while name not in MODULES and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in MODULES:
            yield name


def imports(module: str) -> Iterator[tuple[str, int, bool, bool, str]]:
    """(imported module or "" for a third-party one, line, inside a function, typing only,
    source line) for every import statement of ``module``."""
    path = MODULES[module]
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()

    def walk(
        node: ast.AST, inner: bool, typing: bool
    ) -> Iterator[tuple[str, int, bool, bool, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from walk(child, inner, True)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from walk(child, True, typing)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                text = "\n".join(lines[child.lineno - 2 : child.end_lineno or child.lineno])
                found = list(_resolve(module, child))
                for target in found or [""]:
                    yield target, child.lineno, inner, typing, text
            else:
                yield from walk(child, inner, typing)

    yield from walk(ast.parse(source), False, False)


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_import_from_a_higher_layer() -> None:
    wrong = []
    for module in MODULES:
        for target, line, _, _, _ in imports(module):
            if target and layer_of(target) > layer_of(module):
                wrong.append(
                    f"{MODULES[module].relative_to(SRC)}:{line}: {module} "
                    f"({LAYERS[layer_of(module)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]})"
                )
    assert not wrong, "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    # every import counts, typing-only and inner ones too: a loop hidden inside a function
    # is still a loop
    edges: dict[str, set[str]] = {}
    for module in MODULES:
        for target, _, _, _, _ in imports(module):
            # a package is imported before its modules anyway: naming it is no loop
            if target and target != module and not module.startswith(target + "."):
                edges.setdefault(module, set()).add(target)
    assert _cycles(edges) == []


def test_imports_inside_functions_only_where_start_up_needs_them() -> None:
    wrong = []
    for module in MODULES:
        if module == "dxe_eval.cli" or module.startswith("dxe_eval.commands"):
            continue
        for _, line, inner, _, text in imports(module):
            if inner and LAZY not in text:
                wrong.append(f"{MODULES[module].relative_to(SRC)}:{line}: {text.strip()}")
    assert not wrong, "imports inside functions without '" + LAZY + "':\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("importer", "target", "expected"),
    [
        ("dxe_eval.read.raw", "dxe_eval.engine", True),
        ("dxe_eval.engine", "dxe_eval.read.raw", False),
        ("dxe_eval.rules.ledger", "dxe_eval.scoring.share", False),
        ("dxe_eval.model", "dxe_eval.report.present", True),
    ],
)
def test_the_check_itself_tells_up_from_down(importer: str, target: str, expected: bool) -> None:
    # the rule the test applies, on known pairs: an import is wrong when it goes up
    assert (layer_of(target) > layer_of(importer)) is expected


def test_the_cycle_check_finds_a_loop() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
