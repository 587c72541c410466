import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from lindy.bench import run, write_report


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    from lindy.bench import _suites

    tmp = tmp_path_factory.mktemp("report")
    store = tmp / "r.sqlite"
    _suites.SUITES["report-test"] = {
        **_suites.SUITES["quick"], "systems": ["VanDerPol", "Henon"],
        "methods": _suites._BASE_METHODS,
        "protocols": [{"name": "forecast", "n_train": 300, "horizon": 100, "transient": 100},
                      {"name": "dsr", "n_train": 400, "test_length": 400, "transient": 100}],
        "protocol_systems": {}}
    try:
        run("report-test", store=store, jobs=1, progress=False)
        # one deliberately failing job shows up in the report with its error
        _suites.SUITES["report-test"]["methods"] = [("BadAR", "LinearAR", {"n_lags": 0})]
        run("report-test", store=store, jobs=1, progress=False, systems=["Henon"])
    finally:
        del _suites.SUITES["report-test"]
    return write_report(store, tmp / "out").parent


def _pages(report_dir: Path) -> list[Path]:
    return sorted(report_dir.rglob("*.html"))


def test_report_files(report_dir):
    index = (report_dir / "index.html").read_text()
    for text in ("VanDerPol", "Henon", "Persistence", "LinearAR(5)", "DMD", "BadAR",
                 "forecast(horizon=100", "dsr(", "median", "IQR", "best on", "D_stsp", "D_H"):
        assert text in index
    assert [p.relative_to(report_dir).as_posix() for p in _pages(report_dir)] == [
        "config.html", "failures.html", "index.html", "systems/Henon.html",
        "systems/VanDerPol.html"]
    failures = (report_dir / "failures.html").read_text()
    assert "BadAR" in failures and "n_lags" in failures and "Traceback" in failures
    config = (report_dir / "config.html").read_text()
    assert "numpy" in config and "test_length" in config and "n_lags" in config
    for system in ("VanDerPol", "Henon"):
        page = (report_dir / "systems" / f"{system}.html").read_text()
        assert page.count("<table>") == 2  # one per protocol
        for kind in ("forecast", "attractor", "spectrum"):
            for proto in ("forecast_horizon_100", "dsr_"):
                (png,) = (report_dir / "img").glob(f"{system}__{proto}*__{kind}.png")
                assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                assert png.stat().st_size > 5_000
                assert f"../img/{png.name}" in page


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "headless Chromium is required for this test; `make test` installs it"
    return path


_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_every_page_loads_in_headless_chromium_with_no_missing_image(report_dir, tmp_path):
    chromium = _chromium()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    n_images = 0
    for page in _pages(report_dir):
        dom = subprocess.run([chromium, *_FLAGS, *profile, "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        assert "<h1>" in dom and "</body>" in dom, page
        # every image and every link of the page resolves to a file of the report
        for attr in ("img src", "a href"):
            for ref in re.findall(rf"<{attr}=\"([^\"#]+)", dom):
                target = (page.parent / unquote(urlparse(ref).path)).resolve()
                assert target.is_file(), f"{page.name}: {ref} is missing"
                assert report_dir.resolve() in target.parents
                n_images += attr == "img src"
    assert n_images == 12  # 2 systems x 2 protocols x 3 plots


def test_report_renders_in_headless_chromium(report_dir, tmp_path):
    chromium = _chromium()
    url = (report_dir / "systems" / "VanDerPol.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, *_FLAGS, *profile, f"--screenshot={shot}",
                    "--window-size=1200,1600", url], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
    # the page rendered (not a blank screenshot)
    from PIL import Image  # matplotlib depends on pillow

    img = Image.open(shot).convert("L")
    lo, hi = img.getextrema()
    assert hi - lo > 100, "the screenshot is blank"
