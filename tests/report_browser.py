"""Headless Chromium for the report tests: the page's DOM after load, and a screenshot.

The report has no script, so Chromium's own command-line modes (``--dump-dom``,
``--screenshot``) are enough; no DevTools connection is needed. Chromium comes
from the distribution (``.ci/run`` installs it); tests skip without one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def find_chromium() -> str | None:
    """``COPYDESK_CHROMIUM``, else the first Chromium on PATH or /usr/bin/chromium."""
    given = os.environ.get("COPYDESK_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def visible_dom(browser: str, page: Path, profile: Path) -> str:
    """The page's DOM as Chromium built it (serialized HTML)."""
    return _run(browser, profile, "--dump-dom", page.resolve().as_uri()).stdout


def screenshot(
    browser: str, page: Path, target: Path, profile: Path, size: str = "1200,1800"
) -> Path:
    """A PNG of the page's first ``size`` pixels."""
    _run(
        browser, profile, f"--window-size={size}", f"--screenshot={target}", page.resolve().as_uri()
    )
    return target
