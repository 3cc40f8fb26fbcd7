"""The HTML report in a real browser: headless Debian chromium renders it without console errors,
with its charts and Chinese text, to a screenshot that is not blank.

Skipped when ``/usr/bin/chromium`` is absent (``.ci/run`` installs it with fonts-noto-cjk).
"""

from __future__ import annotations

import struct
import subprocess
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
