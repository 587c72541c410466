import shutil
import subprocess

import pytest

from lindy.bench import run, write_report


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    from lindy.bench import _suites

    tmp = tmp_path_factory.mktemp("report")
    store = tmp / "r.sqlite"
    _suites.SUITES["report-test"] = {**_suites.SUITES["quick"], "systems": ["VanDerPol", "Henon"],
                                     "methods": _suites._BASE_METHODS,
                                     "protocol": {"name": "forecast", "n_train": 300,
                                                  "horizon": 100, "transient": 100}}
    try:
        run("report-test", store=store, jobs=1, progress=False)
        # one deliberately failing job shows up in the report with its error
        _suites.SUITES["report-test"]["methods"] = [("BadAR", "LinearAR", {"n_lags": 0})]
        run("report-test", store=store, jobs=1, progress=False, systems=["Henon"])
    finally:
        del _suites.SUITES["report-test"]
    return write_report(store, tmp / "out").parent


def test_report_files(report_dir):
    html = (report_dir / "index.html").read_text()
    for name in ("VanDerPol", "Henon", "Persistence", "LinearAR(5)", "DMD", "BadAR", "n_lags"):
        assert name in html
    for system in ("VanDerPol", "Henon"):
        png = report_dir / f"forecast_{system}.png"
        assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "headless Chromium is required for this test; `make test` installs it"
    return path


_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_report_renders_in_headless_chromium(report_dir, tmp_path):
    chromium = _chromium()
    url = (report_dir / "index.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([chromium, *_FLAGS, *profile, "--dump-dom", url],
                         capture_output=True, text=True, timeout=120)
    assert "<table>" in dom.stdout and "VanDerPol" in dom.stdout
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, *_FLAGS, *profile, f"--screenshot={shot}",
                    "--window-size=1200,1600", url], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
    # the page rendered (not a blank screenshot)
    from PIL import Image  # matplotlib depends on pillow

    img = Image.open(shot).convert("L")
    lo, hi = img.getextrema()
    assert hi - lo > 100, "the screenshot is blank"
