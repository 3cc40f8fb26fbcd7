"""The HTML report in a real browser: headless Debian chromium renders it without console errors,
with its charts and Chinese text, to a screenshot that is not blank.

Skipped when ``/usr/bin/chromium`` is absent (``.ci/run`` installs it with fonts-noto-cjk).
"""

from __future__ import annotations

import re
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

import dxe_eval
from dxe_eval.report.html import to_html

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    ev = dxe_eval.evaluate()
    path = tmp_path_factory.mktemp("html") / "报告.html"
    path.write_text(to_html(ev), encoding="utf-8")
    return path, ev.ruleset.title


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / "profile"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _png_pixels(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, channels and the unfiltered scanlines of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def test_dom_has_charts_chinese_text_and_no_console_errors(
    report: tuple[Path, str], tmp_path: Path
) -> None:
    path, title = report
    out = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri())
    assert out.returncode == 0, out.stderr[-2000:]
    dom = out.stdout
    assert title in dom
    assert "表彰建议名单" in dom and "预警与通报" in dom
    assert dom.count("<svg") >= 4
    console = [line for line in out.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert "Uncaught" not in out.stderr


def test_screenshot_is_not_blank(report: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = report
    shot = tmp_path / "report.png"
    out = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1240,1754", path.as_uri())
    assert shot.exists(), out.stderr[-2000:]
    width, height, channels, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1240, 1754)
    # not one colour: many distinct rows, and dark (text) pixels in the top part of the page
    assert len(set(rows)) > 100
    top = b"".join(rows[:400])
    dark = sum(1 for i in range(0, len(top), channels) if max(top[i : i + 3]) < 80)
    assert dark > 1000


# Printed as the screen shows the print rules, so that a script can measure the tables at the
# page's width: A4 is 210 mm wide, less 2 × 12 mm of margin; landscape 297 mm less 2 × 12 mm.
CLIP_CHECK = """
<style>section, footer { width: 186mm; } section.wide { width: 273mm; }</style>
<script>
addEventListener("load", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var tables = document.querySelectorAll("table"), bad = [];
  tables.forEach(function (t, i) {
    var box = t.closest("section, footer").getBoundingClientRect();
    var r = t.getBoundingClientRect();
    if (r.width === 0) { bad.push("hidden" + i); return; }
    if (r.right > box.right + 1) bad.push("table" + i);
    t.querySelectorAll("th, td").forEach(function (c) {
      if (c.scrollWidth > c.clientWidth + 1) bad.push("cell" + i + ":" + c.textContent);
    });
  });
  var p = document.createElement("p");
  p.textContent = "CLIPCHECK tables=" + tables.length + " clipped=" + bad.length + " " +
    bad.slice(0, 5).join(" ");
  document.querySelector("footer").appendChild(p);
});
</script>
"""


def test_printed_to_a4_pdf(report: tuple[Path, str], tmp_path: Path) -> None:
    """The example's report printed to A4 by headless Chromium: the 概要 alone on page 1 with
    its signature block, "第 i 页 / 共 n 页" on every page, and no table or cell wider than the
    page (measured in the page by CLIP_CHECK, under the print rules, and printed at the end).

    pypdf reads the PDF's text: pure Python from PyPI, so the test needs no Debian package
    beside chromium (poppler-utils' pdftotext would be one more for .ci/run to install).
    """
    from pypdf import PdfReader

    path, title = report
    page = path.read_text(encoding="utf-8")
    checked = tmp_path / "checked.html"
    checked.write_text(
        page.replace("@media print {", "@media all {").replace("</head>", CLIP_CHECK + "</head>"),
        encoding="utf-8",
    )
    pdf = tmp_path / "report.pdf"
    out = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", checked.as_uri())
    if not pdf.exists():
        pytest.skip(f"headless chromium could not print: {out.stderr[-500:]}")
    pages = PdfReader(pdf).pages
    # Chromium's fonts map some characters to radicals (⻚ for 页, ⾦ for 金): NFKC folds most
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in pages]
    n = len(texts)
    # the example: 12 units, 69 people, 12 projects, each with its card: 72 pages when this was
    # written (a card a page; 125 when the cards' reason column was a fifth of the page)
    assert 30 < n < 90, n
    for i, text in enumerate(texts, start=1):
        found = re.search(r"第 (\d+) \S / 共 (\d+) \S", text)
        assert found, f"page {i} has no page number"
        assert (int(found[1]), int(found[2])) == (i, n)
        width = float(pages[i - 1].mediabox.width)
        assert width == pytest.approx(595, abs=1) or width == pytest.approx(842, abs=1)
    first = texts[0]
    assert unicodedata.normalize("NFKC", title) in first
    assert "概要" in first and "建议表彰先进单位" in first and "预警与通报共" in first
    for label in ("制表单位", "制表日期", "审核", "签发"):
        assert label in first, label
    assert "得分分布" not in first  # the charts start on the next page
    assert "得分分布" in texts[1]
    # the wide table (单位得分) prints on a landscape page
    units = next(i for i, t in enumerate(texts) if "单位得分" in t and "Units" in t)
    assert float(pages[units].mediabox.width) == pytest.approx(842, abs=1)
    check = re.search(r"CLIPCHECK tables=(\d+) clipped=(\d+)(.*)", texts[-1])
    assert check, "the measuring script did not run"
    assert int(check[1]) > 10
    assert int(check[2]) == 0, check[3]
