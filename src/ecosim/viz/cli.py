"""``ecosim viz``: start the browser view on this machine.

Solara and the page are imported only when the command runs, so the rest of the command line
works without the ``viz`` extra installed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import ipaddress
import socket
import sys
from pathlib import Path

from ecosim.commands.common import check_land, whole_number
from ecosim.errors import printable
from ecosim.runner import DEFAULT_SEED
from ecosim.scenario import ScenarioError

DEFAULT_SCENARIO = "san_diego"
DEFAULT_PORT = 8521


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``ecosim viz``."""
    parser.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        help="scenario file, or a name in ./scenarios (default: %(default)s); the page offers "
        "every file of the same folder",
    )
    parser.add_argument(
        "--port", type=whole_number(1, 65535), default=DEFAULT_PORT, help="TCP port (%(default)s)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default %(default)s, this machine only; give a wider "
        "address such as 0.0.0.0 only to show the page to other machines)",
    )
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="label language (%(default)s)")
    parser.add_argument(
        "--seed",
        type=whole_number(0),
        default=DEFAULT_SEED,
        help="starting random seed (default %(default)s, as `ecosim run`)",
    )
    parser.add_argument(
        "--compare",
        metavar="WITH",
        default="",
        help="open side by side with a second run: 'no_levers' (the same run without its levers) or "
        "a scenario file of the same folder",
    )


def resolve_scenario(name: str) -> Path:
    """A scenario argument as a file: a path as given, else ``scenarios/NAME[.yaml]``.

    Raises:
        ScenarioError: no such file.
    """
    candidates = [Path(name), Path("scenarios") / name, Path("scenarios") / f"{name}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ScenarioError(name, "", "file not found (looked in . and ./scenarios)")


def resolve_compare(compare: str, scenario: Path) -> str:
    """``--compare`` as the page takes it, checked now rather than in every visitor's page.

    Args:
        compare: "", "no_levers", or a scenario file of the scenario's folder (its name, or a
            path to it).
        scenario: the scenario the page opens with.

    Returns:
        "", "no_levers" or the file's name.

    Raises:
        ScenarioError: not one of these, or the file is not a valid scenario.
    """
    from ecosim.scenario import load
    from ecosim.viz.session import COMPARE_NO_LEVERS, scenario_files

    if compare in ("", COMPARE_NO_LEVERS):
        return compare
    folder = scenario.parent
    candidate = Path(compare)
    if len(candidate.parts) == 1:  # a name: the page looks for it in the scenario's folder
        candidate = folder / candidate
    if candidate.parent.resolve() != folder.resolve() or candidate.name not in scenario_files(folder):
        raise ScenarioError(
            compare, "--compare", f"must be '{COMPARE_NO_LEVERS}' or a scenario file of {folder}/"
        )
    check_land(candidate, load(candidate))
    return candidate.name


def check_port(host: str, port: int) -> None:
    """Refuse a port that cannot be listened on (in use, privileged, an address not this
    machine's) before the address is announced, not as the server's exit code 3 after it.

    Raises:
        ScenarioError: saying why.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            # As uvicorn does: a port that only holds closing connections (TIME_WAIT) is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:  # socket.gaierror included: a host name that does not resolve
        raise ScenarioError(
            "--port", "", f"cannot listen on {host} port {port} ({exc.strerror or exc})"
        ) from None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def execute(args: argparse.Namespace) -> int:
    """Start the server, print its address, stop cleanly on Ctrl-C."""
    if not is_loopback(args.host):
        sys.stderr.write(
            f"warning: --host {printable(args.host, 60)} shows the page beyond this machine, and it has "
            "no login: anyone who reaches it can run simulations here\n"
        )
    from ecosim.scenario import load

    path = resolve_scenario(args.scenario)
    check_land(path, load(path))  # the page would open on a run that stops at its first settler
    compare = resolve_compare(args.compare, path)
    if not 0 < args.port < 65536:
        raise ScenarioError("--port", "port", f"must be 1-65535, got {args.port}")
    check_port(args.host, args.port)
    needed = ["solara", "solara_assets", "uvicorn"] + (["matplotlib_fontja"] if args.lang == "ja" else [])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        sys.stderr.write(
            f"error: the browser view needs the viz extra ({', '.join(missing)} missing): "
            "pip install 'ecosim[viz]'\n"
        )
        return 1
    from ecosim.viz.server import serve

    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"ecosim viz: serving {path} at http://{shown}:{args.port}/ (Ctrl-C stops)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        serve(path, host=args.host, port=args.port, lang=args.lang, seed=args.seed, compare=compare)
    print("ecosim viz: stopped", flush=True)
    return 0
