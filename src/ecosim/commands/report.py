"""``ecosim report DIR [--lang ja]``: tables, a workbook and figures comparing the arms of a sweep."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecosim.commands.common import check_out, output_path
from ecosim.errors import printable
from ecosim.i18n import LANGUAGES
from ecosim.report import write_report

EXIT_BAD_INPUT = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument("sweep_dir", type=Path, metavar="DIR", help="folder of `ecosim sweep`")
    parser.add_argument("--out", type=output_path, default=None, help="where to write (default: DIR/report)")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of labels, titles and README (default %(default)s)",
    )


def execute(args: argparse.Namespace) -> int:
    """Write the report and list its files."""
    check_out(args.out if args.out is not None else args.sweep_dir / "report")
    try:
        written = write_report(
            args.sweep_dir,
            args.out,
            lang=args.lang,
            warn=lambda message: print(f"warning: {args.sweep_dir}: {message}", file=sys.stderr),
        )
    except FileNotFoundError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    folder = written[0].parent if written else args.out
    print(f"{folder}: {', '.join(p.name for p in written)}")
    return 0
