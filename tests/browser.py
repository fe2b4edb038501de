"""A small headless-Chromium driver for the view and service tests (DevTools protocol).

Starts the distribution's Chromium (``/usr/bin/chromium``; ``.ci/run`` installs
it) with a fresh profile and no network services, opens pages, evaluates
JavaScript in them, presses keys and takes screenshots. Tests that need it use
the ``browser`` fixture, which skips with the reason when no Chromium is found.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
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
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """The Chromium binary (COPYDESK_CHROMIUM, else the first on PATH), or None."""
    given = os.environ.get("COPYDESK_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One tab, driven over the browser's DevTools connection."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.browser.send(method, params, session=self.session)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (promises awaited)."""
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise AssertionError(f"JavaScript failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15.0) -> Any:
        """Poll until the expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            time.sleep(0.05)

    def goto(self, url: str) -> None:
        """Load ``url`` and wait until the new document has loaded (not the old one)."""
        self.evaluate("window.__copydeskOld = true")
        self.send("Page.navigate", url=url)
        self.wait_for(
            "!window.__copydeskOld && document.readyState === 'complete'"
            " && location.href !== 'about:blank'"
        )

    def resize(self, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def press(self, key: str, code: str | None = None, key_code: int = 0) -> None:
        """A key press as the keyboard sends it (Tab moves focus, Escape...)."""
        for kind in ("rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=code or key,
                windowsVirtualKeyCode=key_code,
            )

    def hover(self, x: float, y: float) -> None:
        """Move the mouse to a point of the page, as a person pointing at a word."""
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path


class Browser:
    """A headless Chromium process and its DevTools websocket."""

    def __init__(self, binary: str) -> None:
        from websockets.sync.client import connect

        self.profile = tempfile.mkdtemp(prefix="copydesk-chromium-")
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = self._devtools_url()
        self._connection = connect(url, max_size=None, open_timeout=20)
        self.socket = self._connection.__enter__()
        self._next = 0

    def _devtools_url(self) -> str:
        assert self.process.stderr is not None
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            seen.append(line)
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                # keep reading its log, so a full pipe never blocks the browser
                self._drain = threading.Thread(target=self.process.stderr.read, daemon=True)
                self._drain.start()
                return found.group(1)
        self.close()
        raise RuntimeError("Chromium did not start:\n" + "".join(seen[-20:]))

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=60))
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def new_page(self, width: int = 1280, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session)
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.resize(width, height)
        return page

    def close(self) -> None:
        connection = getattr(self, "_connection", None)
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.__exit__(None, None, None)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        drain = getattr(self, "_drain", None)
        if drain is not None:
            drain.join(timeout=5)
        if self.process.stderr is not None:
            with contextlib.suppress(OSError):
                self.process.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        raise RuntimeError("no Chromium found")
    browser = Browser(binary)
    try:
        yield browser
    finally:
        browser.close()


# Contrast of every mark's text and tag against what is behind it (WCAG 2 formula).
CONTRAST_JS = r"""
(function(){
function rgb(s){var m=s.match(/[\d.]+/g);return m?m.map(Number):[0,0,0,0];}
function lum(c){var a=[c[0],c[1],c[2]].map(function(v){
  v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4);});
  return 0.2126*a[0]+0.7152*a[1]+0.0722*a[2];}
function ratio(a,b){var x=lum(a),y=lum(b);return (Math.max(x,y)+0.05)/(Math.min(x,y)+0.05);}
function behind(el){while(el){var c=rgb(getComputedStyle(el).backgroundColor);
  if(c.length<4||c[3]>0){return c;}el=el.parentElement;}return [255,255,255];}
var worst={ratio:99,what:''};
document.querySelectorAll('.cd-text mark.m, .cd-legend mark.m').forEach(function(m){
  var r=ratio(rgb(getComputedStyle(m).color),behind(m));
  if(r<worst.ratio){worst={ratio:r,what:m.className+' text'};}
  var after=getComputedStyle(m,'::after');
  if(after.content&&after.content!=='none'&&after.content!=='normal'){
    var bg=rgb(after.backgroundColor);if(bg.length===4&&bg[3]===0){bg=behind(m);}
    var t=ratio(rgb(after.color),bg);
    if(t<worst.ratio){worst={ratio:t,what:m.className+' tag'};}
  }
});
return worst;
})()
"""
