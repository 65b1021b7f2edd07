"""Render examples/sample.txt as the HTML report and screenshot it in headless Chromium.

Run from the repository root: ``python -m scripts.screenshot_report``. Writes
``docs/report.html`` (with ``hedge score --format html``) and its screenshots at a desktop's
width (``docs/report.png``, 1280 px) and a phone's (``docs/report-390.png``, 390 px).
Needs Chromium (Debian: ``apt-get install chromium``); it runs with a new, empty profile,
no sandbox (so that it runs as root), and every background network feature off: the page
itself loads nothing from outside the file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from classifier.cli.main import main as hedge

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Browser executables tried in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Size of the browser window, hence of the screenshot, in CSS pixels.
WINDOW = (1280, 1000)
#: Each screenshot and its window: a desktop, and a phone 390 px wide.
SCREENSHOTS = {"report.png": WINDOW, "report-390.png": (390, 1600)}
#: Longest wait for the browser, in seconds.
TIMEOUT = 120


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path is not None:
            return path
    raise SystemExit(f"no browser found (tried {', '.join(BROWSERS)}): apt-get install chromium")


def _run(browser: str, page: Path, window: tuple[int, int], *action: str) -> str:
    """Run the browser headless on ``page`` with ``action`` flags; return its stdout."""
    with tempfile.TemporaryDirectory(prefix="hedge-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={window[0]},{window[1]}",
            *action,
            page.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{browser} exited with status {done.returncode}")
    return done.stdout


def screenshot(browser: str, page: Path, png: Path, window: tuple[int, int] = WINDOW) -> None:
    """Take a screenshot of ``page`` (a local HTML file) into ``png``."""
    _run(browser, page, window, f"--screenshot={png}")
    if not png.is_file():
        raise SystemExit(f"{browser} wrote no {png}")


def dump_dom(browser: str, page: Path, window: tuple[int, int] = WINDOW) -> str:
    """Return the DOM of ``page`` as serialized after its scripts ran, at ``window`` size."""
    return _run(browser, page, window, "--dump-dom", "--virtual-time-budget=2000")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=Path("examples/sample.txt"))
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    page = args.out / "report.html"
    status = hedge(["score", "--format", "html", "-o", str(page), str(args.text)])
    if status:
        raise SystemExit(status)
    browser = find_browser()
    for name, window in SCREENSHOTS.items():
        png = args.out / name
        png.unlink(missing_ok=True)
        screenshot(browser, page, png, window)
        print(f"wrote {png}")
    print(f"wrote {page}")


if __name__ == "__main__":
    main()
