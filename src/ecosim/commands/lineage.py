"""``ecosim lineage RUN_DIR``: draw a family tree of firms and print its size by year and depth."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecosim import lineage, lineage_figure
from ecosim.commands.common import check_out, output_path
from ecosim.errors import excerpt
from ecosim.i18n import text
from ecosim.scenario import ScenarioError


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``ecosim lineage``."""
    parser.add_argument("run_dir", metavar="RUN_DIR", help="output folder of `ecosim run`")
    parser.add_argument(
        "--root", metavar="NAME", help="root firm by name, e.g. Genentech (default: the largest lineage)"
    )
    parser.add_argument(
        "--out", type=output_path, metavar="FILE", help="PNG to write (default RUN_DIR/lineage_<root>.png)"
    )


def execute(args: argparse.Namespace) -> int:
    """Load the run, pick the lineage, draw it, print its size by year and its depth."""
    if args.out is not None and args.out.suffix.lower() != ".png":
        # The tree is drawn as PNG whatever the name says: x.jpg held PNG data.
        suffix = f"suffix {excerpt(args.out.suffix)}" if args.out.suffix else "no suffix"
        raise ScenarioError(args.out, "--out", f"must name a .png file (the tree is a PNG), got {suffix}")
    graph, firms = lineage.load_run(args.run_dir)
    try:
        root = lineage.find_root(graph, args.root)
    except ValueError as exc:
        raise ScenarioError(args.run_dir, "--root", str(exc)) from exc
    tree = lineage.lineage_of(graph, firms, root)
    slug = "".join(ch if ch.isalnum() else "_" for ch in tree.name).strip("_").lower() or "lineage"
    out = args.out or Path(args.run_dir) / f"lineage_{slug}.png"
    check_out(out, folder=False)
    end = float(firms["founded_year"].max()) if len(firms) else None
    fate = firms["fate_year"].dropna() if "fate_year" in firms else None
    if fate is not None and len(fate):
        end = max(end or 0.0, float(fate.max()))
    table = lineage.size_by_year(tree, until=end)
    lineage_figure.draw(tree, out)
    size = text("lineage_size", firms=f"{tree.size:,}", generations=tree.depth)
    print(f"lineage of {tree.name} (firm {tree.root}): {size}")
    print(f"{'year':>6} {'founded':>8} {'so far':>7} {'active':>7} {'depth':>6}")
    for row in table.itertuples(index=False):
        print(f"{row.year:>6} {row.founded:>8} {row.cumulative:>7} {row.active:>7} {row.depth:>6}")
    print(f"depth: {tree.depth}")
    print(f"tree: {out}")
    return 0
