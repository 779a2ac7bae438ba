"""End-to-end test of the browser view: `ecosim viz` driven by Debian's Chromium via Playwright.

It guards the view's promises: the page works offline (no request leaves 127.0.0.1, in the
browser or from the server), shows no console error, draws a map and charts that are not
blank, the map is the page's largest element, Step advances one month, Play and Pause work, a
slider change plus Reset rebuilds the model, the GTB lever switches are disabled (with a note)
where the selected scenario has no levers and act where it has, the firms chart marks the
scenario's history as the run passes it (and nothing later), side by side shows two real maps and
their difference chart at the same month, moving together, and with ``--lang ja`` no English
label is left. A picture is checked in words through its text alternative (the figure's label:
title, month, history marks), in pixels for being drawn at all.

It saves screenshots at 1280x720: ``make screenshots`` keeps them in results/screenshots (it sets
ECOSIM_VIZ_SCREENSHOTS=DIR, ECOSIM_VIZ_SCREENSHOT_MONTHS=N months before the San Diego ones and
ECOSIM_VIZ_SIDE_BY_SIDE_MONTHS=N months before the side-by-side one).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("solara")
sync_api = pytest.importorskip("playwright.sync_api")
Image = pytest.importorskip("PIL.Image")

from ecosim.viz.server import BLOCKED_MESSAGE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 90
UI_TIMEOUT_MS = 60_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
VIEWPORT = {"width": 1280, "height": 720}
"""A projector."""
# Mesa's SolaraViz labels (English only) that the Japanese page must not show.
MESA_ENGLISH = (
    "Controls", "Play Interval", "Render Interval", "Use Threads", "Reset", "Step",
    "Model Parameters", "Information", "Page 0",
)  # fmt: skip
JAPANESE_CONTROLS = (
    "操作", "モデルのパラメータ", "情報", "リセット", "ステップ", "再生", "+1年", "速度", "普通",
)  # fmt: skip
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class VizServer:
    """`ecosim viz` in a subprocess on a free loopback port."""

    def __init__(self, tmp: Path, *extra: str, scenario: str = "san_diego") -> None:
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}/"
        self.out = tmp / f"viz-{self.port}.out"
        self.err = tmp / f"viz-{self.port}.err"
        cmd = [
            sys.executable, "-m", "ecosim.cli", "viz", scenario,
            "--host", LOOPBACK, "--port", str(self.port), *extra,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env=env)
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"ecosim viz exited early:\n{self.logs()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"ecosim viz did not answer within {START_TIMEOUT_S}s:\n{self.logs()}")

    def logs(self) -> str:
        return self.out.read_text() + self.err.read_text()

    def stop(self) -> int:
        """Ctrl-C, as a presenter would; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return -1
        return self.proc.returncode


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` and `make screenshots` install it (apt-get install -y chromium)"
        )
    return str(CHROMIUM)


class Watch:
    """Every request the page makes; non-loopback ones are aborted and recorded."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.responses: dict[str, int] = {}

    def route(self, route: sync_api.Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == LOOPBACK:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def attach(self, context: sync_api.BrowserContext, page: sync_api.Page) -> None:
        context.route("**/*", self.route)
        page.on("console", self.on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("websocket", self.on_websocket)
        page.on("response", lambda r: self.responses.__setitem__(r.url, r.status))

    def on_console(self, message: sync_api.ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location})")

    def on_websocket(self, ws: sync_api.WebSocket) -> None:
        if urlparse(ws.url).hostname != LOOPBACK:
            self.outside.append(ws.url)


@pytest.fixture()
def browser(chromium_path: str) -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser: sync_api.Browser, url: str) -> tuple[sync_api.Page, Watch]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    watch = Watch()
    watch.attach(context, page)
    page.goto(url)
    page.locator(".ecosim-status").wait_for(state="visible")
    page.locator(".ecosim-map img").first.wait_for(state="visible")
    return page, watch


def year_of(status: str) -> float:
    """The month a status line shows ("Mar 1988 · ..." or "1988年3月 · ..."), as a decimal year."""
    japanese = re.search(r"(\d{4})年(\d{1,2})月", status)
    if japanese:
        return int(japanese[1]) + (int(japanese[2]) - 1) / 12
    match = re.search(r"(\w{3}) (\d{4})", status)
    assert match, f"no month and year in the status line {status!r}"
    return int(match[2]) + MONTHS.index(match[1]) / 12


def months_between(before: str, after: str) -> int:
    return round((year_of(after) - year_of(before)) * 12)


def snapshot(element: sync_api.Locator, attempts: int = 5) -> tuple[dict, bytes]:
    """Size and picture of an element; a figure may be swapped for a fresh one meanwhile."""
    for attempt in range(attempts):
        try:
            element.wait_for(state="visible")
            return element.bounding_box() or {}, element.screenshot()
        except sync_api.Error:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def assert_not_blank(element: sync_api.Locator, what: str) -> None:
    box, png = snapshot(element)
    assert box and box["width"] > 100 and box["height"] > 100, f"{what} is too small: {box}"
    picture = Image.open(io.BytesIO(png)).convert("L")
    colours = picture.getcolors(maxcolors=1 << 16)
    distinct = len(colours) if colours is not None else 1 << 16
    dark = sum(n for value, n in (colours or []) if value < 128)
    assert distinct > 20, f"{what} looks blank ({distinct} grey levels)"
    assert colours is None or dark > 200, f"{what} has almost nothing drawn ({dark} dark pixels)"


def settled_text(page, locator, quiet_ms: int, timeout_ms: int) -> str:
    """The locator's text once it has not changed for ``quiet_ms``; fails after ``timeout_ms``."""
    text, still, waited = locator.inner_text(), 0, 0
    while still < quiet_ms:
        assert waited < timeout_ms, f"the text never settled: {text}"
        page.wait_for_timeout(500)
        waited += 500
        now = locator.inner_text()
        still = still + 500 if now == text else 0
        text = now
    return text


def wait_for_text_change(locator: sync_api.Locator, before: str) -> str:
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        now = locator.inner_text()
        if now != before:
            return now
        time.sleep(0.2)
    pytest.fail(f"{locator} still reads {before!r}")


def slider(page: sync_api.Page, label: str) -> sync_api.Locator:
    return page.locator(".v-input", has_text=label).locator("[role=slider]")


def advance(page: sync_api.Page, months: int, year: str = "+1 year", step: str = "Step") -> str:
    """Run ``months`` months: whole years with the +1 year button, the rest a month a click."""
    status = page.locator(".ecosim-status")
    now = status.inner_text()
    for name, clicks in ((year, months // 12), (step, months % 12)):
        for _ in range(clicks):
            page.get_by_role("button", name=name).click()
            now = wait_for_text_change(status, now)
    return now


def assert_room_view(page: sync_api.Page) -> None:
    """At 1280x720 the status (year, counts), the map and one chart are in view without
    scrolling, and charts are shown at their natural size or larger (their smallest text is
    ~14 px at natural size)."""
    page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    page.wait_for_timeout(300)
    for css in (".ecosim-status", ".ecosim-map img", ".ecosim-chart-active img"):
        box, _ = snapshot(page.locator(css).first)
        assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"] + 1, (css, box)
        assert box["x"] + box["width"] <= VIEWPORT["width"] + 1, (css, box)
    scales = page.evaluate(
        "() => [...document.querySelectorAll('.ecosim-chart-active img, .ecosim-chart-founded img')]"
        ".map(i => i.getBoundingClientRect().width / i.naturalWidth)"
    )
    assert scales and min(scales) >= 0.99, f"charts shrunk below their natural size: {scales}"


def assert_real_map(element: sync_api.Locator) -> None:
    """Land and water: the map has many pixels of each colour of the land raster."""
    _, png = snapshot(element)
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    colours = dict((c, n) for n, c in picture.getcolors(maxcolors=1 << 20) or [])
    water = sum(n for c, n in colours.items() if abs(c[0] - 0xCD) < 6 and abs(c[2] - 0xEF) < 6)
    land = sum(n for c, n in colours.items() if abs(c[0] - 0xF2) < 6 and abs(c[2] - 0xE3) < 6)
    assert water > 2000 and land > 20000, f"no land and water drawn (water {water}, land {land})"


def described(element: sync_api.Locator) -> str:
    """What a picture shows, in words: its text alternative (title, month, history marks)."""
    return element.get_attribute("aria-label") or ""


def assert_history_marks(page: sync_api.Page, due: tuple[str, ...], later: tuple[str, ...]) -> None:
    """The firms chart marks the scenario's history up to the month shown, and nothing after."""
    chart = page.locator(".ecosim-chart-active")
    assert_not_blank(chart.locator("img"), "the chart with history marks")
    words = described(chart)
    assert "history:" in words, words
    for mark in due:
        assert mark in words, f"no mark {mark!r} on the chart: {words}"
    for mark in later:
        assert mark not in words, f"a mark {mark!r} from the future: {words}"


def lever_switches(page: sync_api.Page) -> sync_api.Locator:
    return page.locator(".ecosim-lever input")


def keep_screenshot(page: sync_api.Page, tmp_path: Path, name: str) -> None:
    # Checks above scroll charts into view; the picture shows the page as it opens.
    page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    page.wait_for_timeout(300)
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("ECOSIM_VIZ_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / name)


def assert_offline_and_clean(watch: Watch, server: VizServer) -> None:
    assert watch.outside == [], f"requests left the machine: {watch.outside}"
    assert watch.errors == [], "\n".join(watch.errors)
    failed = {url: status for url, status in watch.responses.items() if status >= 400}
    assert failed == {}, f"failed responses: {failed}"
    assert BLOCKED_MESSAGE not in server.logs(), server.logs()


def test_page_offline_step_and_reset(browser: sync_api.Browser, tmp_path: Path) -> None:
    server = VizServer(tmp_path)
    try:
        assert f"http://{LOOPBACK}:{server.port}/" in server.out.read_text()
        page, watch = open_page(browser, server.url)

        assert_not_blank(page.locator(".ecosim-map img"), "the map")
        assert_not_blank(page.locator(".ecosim-chart-active img"), "the active-firms chart")
        for css in ("ecosim-chart-founded", "ecosim-chart-exits", "ecosim-chart-vc"):
            page.locator(f".{css} img").wait_for(state="visible")
        assert_room_view(page)
        assert_real_map(page.locator(".ecosim-map img"))
        assert "runs on Solara" not in page.locator("body").inner_text()

        status = page.locator(".ecosim-status")
        before = status.inner_text()
        page.get_by_role("button", name="Step").click()
        after = wait_for_text_change(status, before)
        assert year_of(after) > year_of(before), (before, after)
        assert months_between(before, after) == 1, f"one Step is not one month: {before} -> {after}"
        assert_history_marks(
            page, due=("Hybritech (Jan 1978)",), later=("CONNECT", "Eli Lilly buys Hybritech")
        )
        months = int(os.environ.get("ECOSIM_VIZ_SCREENSHOT_MONTHS", "1"))
        before, after = after, advance(page, months)
        assert months_between(before, after) == months, (before, after)
        page.locator(".ecosim-lineage img").wait_for(state="visible")
        keep_screenshot(page, tmp_path, "viz_san_diego.png")

        # The history marks come as the run passes them: CONNECT (1985), Lilly buys Hybritech (1986).
        after = advance(page, max(0, round((1986.25 - year_of(after)) * 12)))
        assert_history_marks(
            page,
            due=("Hybritech", "Bayh-Dole Act", "CONNECT (Jan 1985)", "Eli Lilly buys Hybritech (Mar 1986)"),
            later=(),
        )

        # Play runs on by itself; Pause stops it.
        page.get_by_role("button", name="Play").click()
        after = wait_for_text_change(status, wait_for_text_change(status, after))
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Play").wait_for(state="visible")
        # Frames already queued may still land (a loaded machine queues several): wait until the
        # status has held still for 3 s (at most 30 s; a run that goes on never does), then check
        # that it stays still.
        paused = settled_text(page, status, quiet_ms=3000, timeout_ms=30_000)
        page.wait_for_timeout(3000)
        assert status.inner_text() == paused, "the run went on after Pause"
        after = paused

        # San Diego defines no GTB levers: the switches are shown disabled, with a note.
        switches = lever_switches(page)
        assert switches.count() >= 5
        assert all(switches.nth(i).is_disabled() for i in range(switches.count()))
        note = page.locator(".ecosim-lever-note")
        assert "greater_tokyo.yaml" in note.inner_text()

        settings = page.locator(".ecosim-settings")
        # San Diego's hub leadership is a timeline (CONNECT in 1985): the line shows its level now.
        assert re.search(r"hub 0\.\d\d \(timeline ×1\.00\)", settings.inner_text()), settings.inner_text()
        hub = slider(page, "1 Hub leadership × timeline")
        hub.focus()
        hub.press("End")
        page.wait_for_timeout(500)
        built = settings.inner_text()
        page.get_by_role("button", name="Reset").click()
        rebuilt = wait_for_text_change(settings, built)
        assert "hub 0.20 (timeline ×2.00)" in rebuilt, rebuilt
        assert year_of(status.inner_text()) < year_of(after)
        assert_offline_and_clean(watch, server)

        # A fresh session: pick Greater Tokyo, whose levers the switches do act on.
        page, watch = open_page(browser, server.url)
        page.locator(".v-select", has_text="san_diego.yaml").click()
        page.get_by_role("option", name="greater_tokyo.yaml").click()
        page.locator(".ecosim-lever-note").wait_for(state="detached")
        switches = lever_switches(page)
        assert all(switches.nth(i).is_enabled() for i in range(switches.count()))
        page.locator(".ecosim-lever", has_text="GTB secretariat").locator("input").check(force=True)
        page.wait_for_timeout(300)
        settings = page.locator(".ecosim-settings")
        built = settings.inner_text()
        page.get_by_role("button", name="Reset").click()
        rebuilt = wait_for_text_change(settings, built)
        assert "greater_tokyo.yaml" in rebuilt and "levers on: secretariat" in rebuilt, rebuilt
        status = page.locator(".ecosim-status")
        before = status.inner_text()
        after = advance(page, 60)
        assert months_between(before, after) == 60, (before, after)
        assert_not_blank(page.locator(".ecosim-map img"), "the Greater Tokyo map")
        keep_screenshot(page, tmp_path, "viz_greater_tokyo.png")
        assert_offline_and_clean(watch, server)
    finally:
        code = server.stop()
    assert code == 0, f"ecosim viz did not stop cleanly on Ctrl-C ({code}):\n{server.logs()}"
    assert "stopped" in server.out.read_text()


def test_japanese_page_renders_offline(browser: sync_api.Browser, tmp_path: Path) -> None:
    server = VizServer(tmp_path, "--lang", "ja")
    try:
        page, watch = open_page(browser, server.url)
        status = page.locator(".ecosim-status")
        assert "年" in status.inner_text()
        for label in ("シナリオ", "中核機関のリーダーシップ", "乱数シード", *JAPANESE_CONTROLS):
            page.get_by_text(label).first.wait_for(state="visible")
        text = page.locator("body").inner_text()
        left = [label for label in MESA_ENGLISH if label in text]
        assert left == [], f"English labels on the Japanese page: {left}"
        labels = page.locator(".v-card__title, label, button, .ecosim-lever-note").all_inner_texts()
        english = [t for t in labels if t.strip() and not CJK.search(t)]
        assert english == [], f"labels without Japanese: {english}"
        assert "GTB施策がありません" in page.locator(".ecosim-lever-note").inner_text()
        assert_not_blank(page.locator(".ecosim-map img"), "the Japanese map")
        font = page.evaluate("document.fonts.load('16px IPAexGothic', 'シナリオ').then(f => f.length)")
        assert font >= 1, "the packaged Japanese font did not load"
        before = status.inner_text()
        page.get_by_role("button", name="ステップ").click()
        after = wait_for_text_change(status, before)
        assert months_between(before, after) == 1, (before, after)
        months = int(os.environ.get("ECOSIM_VIZ_SCREENSHOT_MONTHS", "1"))
        before, after = after, advance(page, months, "+1年", "ステップ")
        assert months_between(before, after) == months, (before, after)
        page.locator(".ecosim-lineage img").wait_for(state="visible")
        keep_screenshot(page, tmp_path, "viz_san_diego_ja.png")
        assert_offline_and_clean(watch, server)
    finally:
        code = server.stop()
    assert code == 0, server.logs()


def test_side_by_side_runs_two_maps_and_their_difference_in_step(
    browser: sync_api.Browser, tmp_path: Path
) -> None:
    """Greater Tokyo with the GTB secretariat, beside the same seed without it: two real maps and
    the difference chart, all at the month the status line shows, moving together."""
    server = VizServer(tmp_path, "--compare", "no_levers", scenario="greater_tokyo")
    try:
        page, watch = open_page(browser, server.url)
        page.locator(".ecosim-lever", has_text="GTB secretariat").locator("input").check(force=True)
        page.wait_for_timeout(300)
        settings = page.locator(".ecosim-settings")
        built = settings.inner_text()
        page.get_by_role("button", name="Reset").click()
        assert "levers on: secretariat" in wait_for_text_change(settings, built)
        status = page.locator(".ecosim-status")
        before = status.inner_text()
        months = int(os.environ.get("ECOSIM_VIZ_SIDE_BY_SIDE_MONTHS", "24"))
        now = advance(page, months)
        assert months_between(before, now) == months, (before, now)

        def in_step(month: str) -> None:
            """Both maps and the difference chart show ``month`` (the page redraws them one after
            another, so wait for the last)."""
            maps, difference = page.locator(".ecosim-map"), page.locator(".ecosim-chart-difference")
            deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
            while True:
                words = [described(maps.nth(i)) for i in range(maps.count())]
                compared = described(difference)
                shown = [year_of(w) for w in [*words, compared] if re.search(r"\d{4}", w)]
                if len(words) == 2 and len(shown) == 3 and set(shown) == {year_of(month)}:
                    break
                assert time.monotonic() < deadline, f"not in step with {month!r}: {words} {compared!r}"
                time.sleep(0.2)
            assert "levers on" in words[0] and "no levers" in words[1], words
            assert " / " not in compared, f"the difference compares two different months: {compared!r}"

        in_step(status.inner_text())
        for i in range(2):
            assert_not_blank(page.locator(".ecosim-map img").nth(i), f"map {i + 1}")
            assert_real_map(page.locator(".ecosim-map img").nth(i))
        assert_not_blank(page.locator(".ecosim-chart-difference img"), "the difference chart")
        keep_screenshot(page, tmp_path, "viz_side_by_side.png")

        # One Step moves both runs and their difference by one month.
        before = status.inner_text()
        page.get_by_role("button", name="Step").click()
        after = wait_for_text_change(status, before)
        assert months_between(before, after) == 1, (before, after)
        in_step(after)
        assert_offline_and_clean(watch, server)
    finally:
        code = server.stop()
    assert code == 0, server.logs()
