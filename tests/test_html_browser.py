"""report.html in a real browser: it loads without errors and its charts render.

Headless Chromium opens the sample report twice: once with ``--dump-dom`` on a
copy of the page with a small script that records, after the load event, each
image's natural size, every resource the page fetched and every error; once
with ``--screenshot``. Skipped when Chromium is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
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
#: Records, after load, what the page shows and fetched (the report itself has no script).
PROBE = """<script>
window.__errors = [];
window.addEventListener("error", function (event) {
  var target = event.target || {};
  window.__errors.push(String(event.message || target.src || target.href || "error"));
}, true);
window.addEventListener("load", function () {
  var body = document.body;
  body.dataset.images = Array.from(document.images).map(function (img) {
    return img.complete ? img.naturalWidth + "x" + img.naturalHeight : "incomplete";
  }).join(",");
  body.dataset.resources = performance.getEntriesByType("resource").map(function (entry) {
    return entry.name;
  }).join(" ");
  body.dataset.errors = window.__errors.join(" | ");
  body.dataset.loaded = "yes";
});
</script>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    return CHROMIUM


def run_chromium(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def probe(chromium: str, html: str, tmp: Path) -> tuple[dict[str, str], list[str]]:
    """Load ``html`` with the probe script: (body data attributes, console messages)."""
    # The page's Content-Security-Policy allows no script; let the probe's inline one run
    # and keep every other rule, so a remote resource would still be blocked (and logged).
    csp = "style-src 'unsafe-inline'"
    assert csp in html
    page = html.replace(csp, csp + "; script-src 'unsafe-inline'", 1)
    page = page.replace("</head>", PROBE + "</head>", 1)
    path = tmp / "probe.html"
    path.write_text(page, encoding="utf-8")
    result = run_chromium(
        chromium,
        tmp,
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=10000",
        "--dump-dom",
        path.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", result.stdout)
    assert body, result.stdout[:500]
    data = dict(re.findall(r'data-([a-z]+)="([^"]*)"', body.group(1)))
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return data, console


def test_report_loads_without_errors_and_images_render(chromium, sample_report, tmp_path):
    report, out = sample_report
    html = (out / "report.html").read_text(encoding="utf-8")
    data, console = probe(chromium, html, tmp_path)
    assert data.get("loaded") == "yes"
    assert console == []
    assert data["errors"] == ""
    assert data["resources"] == ""  # images are data: URIs, nothing is fetched
    sizes = data["images"].split(",")
    assert len(sizes) == len(report.charts)
    # Natural sizes of the PNGs: 960 px wide (6.4 inches at 150 dpi), as tall as needed.
    expected = [
        "x".join(str(round(v * 150)) for v in c.figure.get_size_inches())
        for c in report.charts.values()
    ]
    assert sorted(sizes) == sorted(expected)
    assert all(size.startswith("960x") for size in sizes)


def test_the_probe_catches_a_broken_page(chromium, sample_report, tmp_path):
    # A remote image and a failing script: the checks above would see both.
    _, out = sample_report
    html = (out / "report.html").read_text(encoding="utf-8")
    broken = html.replace(
        "<body>", '<body><img src="https://example.invalid/logo.png" alt="logo">', 1
    )
    data, console = probe(chromium, broken, tmp_path)
    assert data["images"].split(",")[0] == "0x0"
    assert "https://example.invalid/logo.png" in data["resources"]
    assert any("example.invalid" in line for line in console)


def test_screenshot_is_not_blank(chromium, sample_report, tmp_path):
    from PIL import Image

    _, out = sample_report
    shot = tmp_path / "shot.png"
    result = run_chromium(
        chromium,
        tmp_path,
        "--hide-scrollbars",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        (out / "report.html").as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == (1280, 2000)
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
        # Text, headings and the first chart: many colours, and the chart's blue bars.
        assert len(colours) > 100
        counts = {colour: n for n, colour in colours}
        white = counts.get((255, 255, 255), 0)
        assert white < 0.95 * 1280 * 2000
        assert counts.get((0x00, 0x72, 0xB2), 0) > 5000  # the palette's blue
