"""Plugin authors import from ``dxe_eval.plugin`` only, and a format is one reader plus one
registration: the example plugin and the code in docs/plugins.md are held to the first, and
the worked example reader of docs/plugins.md is run."""

from __future__ import annotations

import ast
import re
import shutil
import types
from pathlib import Path

import pytest

from dxe_eval import plugin as api
from dxe_eval.engine import evaluate
from dxe_eval.errors import DataError
from dxe_eval.manager import get_registry
from tests import builders

ROOT = builders.ROOT
PLUGINS = ROOT / "plugins"
DOCS = ROOT / "docs"
EXAMPLE = ROOT / "examples" / "hubei-2022"


def _internal_imports(code: str) -> list[str]:
    """The ``dxe_eval`` modules other than ``dxe_eval.plugin`` that ``code`` imports."""
    out = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out += [n for n in names if n.split(".")[0] == "dxe_eval" and n != "dxe_eval.plugin"]
    return out


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def test_the_scan_finds_an_internal_import() -> None:
    code = "from dxe_eval.evidence import CID\nimport dxe_eval.model\nfrom dxe_eval.plugin import K"
    assert _internal_imports(code) == ["dxe_eval.evidence", "dxe_eval.model"]


def test_the_example_plugin_imports_only_the_plugin_api() -> None:
    sources = sorted(PLUGINS.glob("*/src/**/*.py"))
    assert sources, "no plugin sources found"
    found = {
        str(p.relative_to(ROOT)): _internal_imports(p.read_text(encoding="utf-8")) for p in sources
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_the_plugin_docs_import_only_the_plugin_api() -> None:
    blocks = _python_blocks(DOCS / "plugins.md")
    assert len(blocks) >= 2
    assert [_internal_imports(b) for b in blocks if _internal_imports(b)] == []
    # and every name they import from it is there
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and node.module == "dxe_eval.plugin":
                assert all(hasattr(api, a.name) for a in node.names)


def _docs_reader() -> types.ModuleType:
    block = next(b for b in _python_blocks(DOCS / "plugins.md") if "register_readers" in b)
    module = types.ModuleType("docs_tsv_reader")
    exec(compile(block, "docs/plugins.md", "exec"), module.__dict__)
    return module


def test_the_docs_reader_reads_a_tsv_file_like_the_csv_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    # units.csv (no quoted cell holds a comma or a tab) → units.tsv, the same cells
    lines = (data / "units.csv").read_text(encoding="utf-8").splitlines()
    assert not any("\t" in line or '"' in line for line in lines)
    (data / "units.tsv").write_text(
        "\n".join(line.replace(",", "\t") for line in lines) + "\n", encoding="utf-8"
    )
    (data / "units.csv").unlink()
    with pytest.raises(DataError, match="no units file"):  # without the reader: no units
        evaluate(data, registry=get_registry(autoload=False))
    reg = get_registry(autoload=False, extra=[_docs_reader()])
    assert reg.readers["tsv"].suffixes == (".tsv",)
    tsv = evaluate(data, registry=reg)
    csv = evaluate(EXAMPLE, registry=get_registry(autoload=False))
    assert tsv.dataset.counts["units"] == csv.dataset.counts["units"]

    def cards(ev: object) -> list[tuple[str, str, float]]:
        return [(s.candidate.kind, s.candidate.candidate_id, s.total) for s in ev.scorecards]

    assert cards(tsv) == cards(csv)
    assert len(cards(csv)) > 10
