"""Serve the browser view with Solara's server, offline.

Everything the page loads comes from installed packages: Solara's own static files, the
JavaScript and CSS bundles of ``solara-assets`` (served from the local CDN cache), and the
Japanese font of ``matplotlib-fontja``. Solara's features that reach the internet are turned
off: usage telemetry, the version check of ``solara run`` (not used here), and fetching a
missing bundle from the public CDN (the CDN address points at a closed loopback port, so a
missing file is a 404, never a download). As a last guard, the server process refuses any
outgoing connection that is not to a loopback address and reports it on stderr.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

APP_MODULE = "ecosim.viz.app"
UNREACHABLE_CDN = "http://127.0.0.1:9/npm/"
BLOCKED_MESSAGE = "ecosim viz: blocked an outgoing connection to"


def offline_environment() -> dict[str, str]:
    """Solara settings (environment variables) that keep the server from going online."""
    return {
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_CDN": UNREACHABLE_CDN,
        "SOLARA_APP": APP_MODULE,
    }


def is_loopback(host: object) -> bool:
    """Whether ``host`` (an address or a name) is this machine's loopback."""
    name = str(host).strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse_outgoing(event: str, args: tuple[Any, ...]) -> None:
    if event != "socket.connect":
        return
    sock, address = args[0], args[1]
    if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_loopback(host):
        sys.stderr.write(f"{BLOCKED_MESSAGE} {address!r}\n")
        sys.stderr.flush()
        raise ConnectionRefusedError(f"ecosim viz is offline: no connection to {address!r}")


def install_offline_guard(hook: Callable[[str, tuple[Any, ...]], None] = _refuse_outgoing) -> None:
    """Refuse, for the rest of this process, every outgoing non-loopback connection."""
    sys.addaudithook(hook)


def serve(
    scenario: Path,
    host: str = "127.0.0.1",
    port: int = 8521,
    lang: str = "en",
    seed: int = 1,
    compare: str = "",
) -> None:
    """Run the server until interrupted (Ctrl-C).

    Args:
        scenario: the scenario file the page opens with.
        host: address to bind; loopback unless asked otherwise.
        port: TCP port.
        lang: label language, "en" or "ja".
        seed: the starting random seed.
        compare: the second run of the side-by-side view the page opens with ("" for none).
    """
    os.environ.update(offline_environment())
    os.environ.update(
        {
            "ECOSIM_VIZ_SCENARIO": str(scenario.resolve()),
            "ECOSIM_VIZ_LANG": lang,
            "ECOSIM_VIZ_SEED": str(seed),
            "ECOSIM_VIZ_COMPARE": compare,
            "SERVER_NAME": host,
            "SERVER_PORT": str(port),
        }
    )
    install_offline_guard()
    # Solara warns on every first request that a session cookie over http falls back to
    # samesite=lax: right for a page served on this machine, and noise for a presenter.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)

    import solara.server.settings
    import uvicorn

    solara.server.settings.main.mode = "production"
    solara.server.settings.telemetry.mixpanel_enable = False
    # No "This website runs on Solara" badge over the charts on a projector.
    solara.server.settings.theme.show_banner = False
    if lang == "ja":
        from ecosim.i18n import japanese_font_path

        fonts = str(japanese_font_path().parent)
        locations = solara.server.settings.assets.extra_locations
        if fonts not in locations:
            locations.append(fonts)
    config = uvicorn.Config(
        "solara.server.starlette:app",
        host=host,
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    server.run()
