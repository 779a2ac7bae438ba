"""The browser view without a browser: labels, controls -> overrides, figures, CLI, offline guard."""

from __future__ import annotations

import socket
from pathlib import Path

import matplotlib
import numpy as np
import pytest

pytest.importorskip("solara")

from ecosim import i18n, plots
from ecosim.cli import build_parser  # noqa: E402
from ecosim.scenario import FACTOR_NAMES, ScenarioError, load  # noqa: E402
from ecosim.viz import figures  # noqa: E402
from ecosim.viz.cli import resolve_scenario  # noqa: E402
from ecosim.viz.server import _refuse_outgoing, is_loopback  # noqa: E402
from ecosim.viz.session import (  # noqa: E402
    ViewSession,
    build_overrides,
    page_defaults,
    parse_seed,
)

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture()
def defaults():
    value = page_defaults(SCENARIOS / "san_diego.yaml")
    ViewSession.defaults = value
    yield value
    ViewSession.defaults = None


@pytest.fixture(autouse=True)
def english():
    yield
    i18n.set_language("en")


def test_every_label_has_english_and_japanese():
    for key, entry in i18n.LABELS.items():
        assert entry.get("en") and entry.get("ja"), key
    for name in FACTOR_NAMES:
        assert name in i18n.LABELS and f"short_{name}" in i18n.LABELS
    i18n.set_language("ja")
    assert i18n.text("scenario") == "シナリオ"
    assert i18n.text("unknown_stage") == "unknown stage"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_defaults_offer_every_scenario_and_gtb_lever(defaults):
    assert "greater_tokyo.yaml" in defaults.files and "san_diego.yaml" in defaults.files
    assert set(defaults.factors) == set(FACTOR_NAMES)
    gtb = load(SCENARIOS / "greater_tokyo.yaml")
    assert set(gtb.levers) <= set(defaults.levers)


def test_only_touched_controls_override_the_file(defaults):
    scenario = load(SCENARIOS / "greater_tokyo.yaml")
    assert build_overrides(defaults, dict(defaults.factors), dict(defaults.levers), scenario) == {}
    factors = {**defaults.factors, "hub_leadership": 0.9}
    levers = {**defaults.levers, "secretariat": True, "not_a_lever": True}
    overrides = build_overrides(defaults, factors, levers, scenario)
    # San Diego's hub leadership is a timeline: its slider scales whatever the file says.
    assert overrides["factors"]["hub_leadership"] == {2021: pytest.approx(0.27)}
    assert overrides["levers"] == {"secretariat": {"enabled": True}}


def test_a_timeline_slider_scales_the_timeline_and_the_line_agrees(defaults):
    from ecosim.viz import app

    assert defaults.factors["hub_leadership"] == 1.0 and "(1985)" in defaults.timelines["hub_leadership"]
    session = ViewSession(rng=3, hub_leadership=0.5)
    assert session.config.factors.hub_leadership == {1978: 0.05, 1985: 0.25, 1995: 0.4}
    for _ in range(12 * 8 + 1):
        session.step()
    assert "hub 0.25 (timeline ×0.50)" in app.settings_line(session)


def test_side_by_side_runs_in_step(defaults):
    session = ViewSession(
        scenario_file="greater_tokyo.yaml", rng=3, lever_secretariat=True, compare="no_levers"
    )
    assert session.twin is not None and not any(lv.enabled for lv in session.twin_config.levers.values())
    for _ in range(6):
        session.step()
    assert session.twin.steps == session.sim.steps == 6
    fig = figures.difference_figure(session.sim, session.twin, "on", "off")
    fig.canvas.draw()
    # Its unit said, its legend under the plot, clear of the lines' peaks.
    ax = fig.axes[0]
    assert ax.get_ylabel() == i18n.text("startups")
    renderer = fig.canvas.get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    assert not legend.overlaps(ax.get_window_extent(renderer))
    assert legend.width <= fig.bbox.width, "the legend is wider than the chart"
    years = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert all(not a.overlaps(b) for a, b in zip(years, years[1:], strict=False)), "years run together"


def test_map_draws_land_water_places_and_named_firms(defaults):
    session = ViewSession(rng=3)
    for _ in range(12 * 7 + 6):  # CONNECT from 1985; Hybritech operates until Lilly buys it in 1986
        session.step()
    fig = figures.map_figure(session.sim)
    fig.canvas.draw()
    region = fig.axes[0]
    assert region.images, "land and water are drawn"
    texts = {t.get_text() for t in region.texts}
    assert {"La Jolla", "Torrey Pines", "Mission Bay"} <= texts
    # Every anchor still operating is named (whether Hybritech lives to 1985 is the model's
    # history, not the map's business).
    anchors = {f.name for f in session.sim.startups if f.origin == "anchor"}
    assert "CONNECT" in texts and anchors <= texts
    legend = {t.get_text() for t in fig.axes[1].get_legend().texts}
    assert not any(t.startswith("firm #") for t in legend), legend
    marks = [label for _, label in figures.history(session.config)]
    assert "Eli Lilly buys Hybritech" in marks and "CONNECT" in marks


def map_texts(fig):
    """Every name and the scale label written on the map, with its box on the canvas."""
    fig.canvas.draw()
    region = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    return region, [(t.get_text(), t.get_window_extent(renderer)) for t in region.texts if t.get_visible()]


def gap(box, other):
    """Pixels between two boxes (0 where they touch or overlap)."""
    return max(box.x0 - other.x1, other.x0 - box.x1, box.y0 - other.y1, other.y0 - box.y1, 0.0)


@pytest.mark.parametrize(
    ("language", "months", "seed"),
    [("en", 12 * 18, 3), ("ja", 12 * 18, 3), ("en", 12 * 10 + 1, 1), ("ja", 12 * 10 + 1, 1)],
)
def test_map_names_never_overlap_even_in_a_dense_spot(defaults, language, months, seed):
    """Torrey Pines holds UCSD, Salk, Scripps, CONNECT and Biocom within a few km: names move
    apart or the least important give way (the place name before a hub), and none runs off the map.
    Place names keep the same distance from firm names as firm names from each other (LABEL_GAP,
    more than their halos reach), as in February 1988 (the README's picture, seed 1), where in
    Japanese Eli Lilly (Hybritech) is named close to La Jolla and Torrey Pines close to CONNECT."""
    session = ViewSession(rng=seed)
    for _ in range(months):  # 1996: CONNECT and Biocom both at Torrey Pines
        session.step()
    with matplotlib.rc_context():
        i18n.set_language(language)
        if language == "ja":
            i18n.use_japanese_font_in_matplotlib()  # the glyphs' real widths
        region, texts = map_texts(figures.map_figure(session.sim))
    names = [name for name, _ in texts]
    expected = {"CONNECT", "Biocom"} if months > 12 * 15 else {"CONNECT"}
    assert expected | {figures.local("La Jolla", "ラホヤ")} <= set(names), names
    frame = region.get_window_extent(region.figure.canvas.get_renderer())
    least = figures.LABEL_GAP * region.figure.dpi / 72
    for i, (name, box) in enumerate(texts):
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{name} runs off the map"
        for other, other_box in texts[i + 1 :]:
            assert not box.overlaps(other_box), f"{name!r} covers {other!r}"
            if not (name.endswith(" km") or other.endswith(" km")):  # the scale: overlap only
                assert gap(box, other_box) >= least - 0.5, f"{name!r} touches {other!r}"


def test_dropping_a_name_that_has_no_room(defaults):
    """The positive control of the test above: a name placed where every spot is taken is left out."""
    session = ViewSession(rng=3)
    fig = figures.map_figure(session.sim)
    region = fig.axes[0]
    taken = [region.get_window_extent(fig.canvas.get_renderer())]  # the whole map is taken
    label = plots.PointLabel((5.0, 5.0), "Nowhere", figures.AROUND, {"fontsize": 12})
    assert plots.draw_labels(region, [label], taken=taken) == []
    assert "Nowhere" not in {t.get_text() for t in region.texts}


def test_history_marks_are_drawn_and_described_up_to_the_month_shown(defaults):
    session = ViewSession(rng=1)
    for _ in range(12 * 7 + 6):  # Jul 1985: CONNECT has come, the Lilly purchase (1986) not yet
        session.step()
    fig = figures.active_figure(session.sim, "san_diego")
    words = fig.get_label()
    assert "CONNECT (Jan 1985)" in words and "Eli Lilly buys Hybritech" not in words
    marks = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == ":"]
    # Hybritech 1978, Bayh-Dole 1980, Hybritech's product and listing 1981, CONNECT 1985
    assert len(marks) == words.count(" (") == 5
    assert "Hybritech lists (Jul 1981)" in words
    for _ in range(12):
        session.step()
    assert (
        "Eli Lilly buys Hybritech (Mar 1986)" in figures.active_figure(session.sim, "san_diego").get_label()
    )


def test_session_builds_steps_and_ignores_mesas_scenario(defaults):
    session = ViewSession(scenario_file="san_diego.yaml", hub_leadership=2.0, rng="7", scenario=object())
    assert session.seed == 7
    assert session.config.factors.at("hub_leadership", 1990) == 1.0
    start = session.sim.year
    for _ in range(13):
        session.step()
    assert session.sim.year > start and session.running


def test_seed_text():
    assert parse_seed(" 12 ") == 12 and parse_seed("") == 1  # the seed of `ecosim run` too
    with pytest.raises(ScenarioError):
        parse_seed("abc")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_figures_draw_a_run(defaults, language):
    i18n.set_language(language)
    if language == "ja":
        i18n.use_japanese_font_in_matplotlib()
    session = ViewSession(rng=3)
    drawn = [figures.map_figure(session.sim), figures.lineage_figure(session.sim)]
    for _ in range(12 * 25):
        session.step()
    drawn += [
        figures.map_figure(session.sim, "lineage"),
        figures.map_figure(session.sim, "stage"),
        figures.founded_figure(session.sim),
        figures.active_figure(session.sim),
        figures.exits_figure(session.sim),
        figures.vc_figure(session.sim),
        figures.lineage_figure(session.sim),
    ]
    for fig in drawn:
        fig.canvas.draw()
        assert fig.axes


def test_tree_layout_puts_children_below_and_parents_over_their_children():
    import networkx as nx

    from ecosim.plots import tree_layout

    graph = nx.DiGraph()
    for node, year in ((1, 1978.0), (2, 1985.0), (3, 1986.0), (4, 1990.0), (5, 1991.0)):
        graph.add_node(node, founded_year=year)
    graph.add_edges_from([(1, 2), (1, 3), (2, 4), (2, 5)])
    pos = tree_layout(graph, 1)
    assert set(pos) == {1, 2, 3, 4, 5}
    assert [pos[n][1] for n in (1, 2, 3, 4, 5)] == [0, 1, 1, 2, 2]  # depth below the root
    assert (pos[4][0], pos[5][0], pos[3][0]) == (0, 1, 2)  # leaves in founding order
    assert pos[2][0] == 0.5 and pos[1][0] == (0.5 + 2) / 2  # each parent over its children
    chain = nx.DiGraph([(i, i + 1) for i in range(5000)])  # a deep lineage lays out (no recursion)
    assert tree_layout(chain, 0)[5000] == (0.0, 5000.0)


def test_cli_viz_arguments():
    args = build_parser().parse_args(["viz", "kobe", "--port", "9000", "--lang", "ja"])
    assert (args.scenario, args.port, args.host, args.lang) == ("kobe", 9000, "127.0.0.1", "ja")
    assert resolve_scenario(str(SCENARIOS / "kobe.yaml")).name == "kobe.yaml"
    with pytest.raises(ScenarioError):
        resolve_scenario("no_such_cluster")


def test_offline_guard_refuses_outside_addresses():
    class FakeSocket:
        family = socket.AF_INET

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.0.2.1") and not is_loopback("example.org")
    _refuse_outgoing("socket.connect", (FakeSocket(), ("127.0.0.1", 80)))
    _refuse_outgoing("socket.getaddrinfo", ("example.org", 80, 0, 0, 0))
    with pytest.raises(ConnectionRefusedError):
        _refuse_outgoing("socket.connect", (FakeSocket(), ("192.0.2.1", 443)))


def test_label_keys_are_not_repeated():
    import ast

    tree = ast.parse(Path(i18n.__file__).read_text())
    labels = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "LABELS"
    )
    keys = [key.value for key in labels.keys]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_map_is_region_shaped_with_legend_beside_and_outline_reach(defaults):
    from matplotlib.patches import Circle

    tall_width, tall_height, tall_share = figures.map_size(30, 50)
    wide_width, wide_height, wide_share = figures.map_size(100, 70)
    assert tall_height == wide_height and wide_width > tall_width and wide_share > tall_share
    session = ViewSession(scenario_file="greater_tokyo.yaml", rng=3)
    for _ in range(3):
        session.step()
    fig = figures.map_figure(session.sim)
    fig.canvas.draw()
    region, key = fig.axes
    assert key.get_legend() is not None and region.get_legend() is None
    reach = [p for p in region.patches if isinstance(p, Circle)]
    assert reach and all(not p.get_fill() for p in reach)
    assert any("Hub reach" in t.get_text() and "km" in t.get_text() for t in key.get_legend().texts)


def test_clock_moves_one_month_per_step(defaults):
    session = ViewSession(rng=3)
    start = session.config.start_year
    assert figures.clock(session.sim) == start
    session.step()
    assert figures.year_label(figures.clock(session.sim)) == f"Feb {start}"


def test_levers_only_where_a_scenario_defines_them(defaults):
    assert defaults.levers_of("san_diego.yaml") == ()
    assert defaults.levers_of(None) == ()
    assert "secretariat" in defaults.levers_of("greater_tokyo.yaml")
    assert defaults.files_with_levers == ["greater_tokyo.yaml"]


def test_page_labels_and_progress(defaults):
    from ecosim.viz import app

    params = app.model_params(defaults)
    assert [k for k in params if k.startswith("lever_")] == [f"lever_{n}" for n in defaults.levers]
    session = ViewSession(rng=3)
    for _ in range(3):
        session.step()
    assert app.progress_line(session).startswith("3 of ")
    assert app.status_line(session).startswith("Apr ")
    i18n.set_language("ja")
    for key in ("controls", "model_parameters", "information_card", "reset", "step", "play"):
        assert i18n.text(key) != i18n.LABELS[key]["en"], key
    assert app.status_line(session).startswith(f"{session.config.start_year}年4月")


class _CountingSession:
    """A stand-in for ViewSession: counts months stepped and stops after ``months``."""

    def __init__(self, months: int = 100) -> None:
        self.stepped, self.months = 0, months

    @property
    def running(self) -> bool:
        return self.stepped < self.months

    def step(self) -> None:
        self.stepped += 1


def test_play_gate_steps_nothing_after_pause_or_for_an_old_turn():
    from ecosim.viz.app import PlayGate

    gate, session = PlayGate(), _CountingSession(months=5)
    assert not gate.step(0, session, 3) and session.stepped == 0, "a closed gate steps"
    first = gate.open()
    assert gate.step(first, session, 3) and session.stepped == 3
    gate.close()  # Pause
    assert not gate.step(first, session, 3) and session.stepped == 3, "stepped after Pause"
    second = gate.open()  # Play again: the first turn's loop must not step on beside the new one
    assert not gate.step(first, session, 1) and session.stepped == 3, "an old turn stepped"
    assert gate.step(second, session, 3) and session.stepped == 5, "stepped past the run's end"
    # A loop whose run ended closes only its own turn, not one opened after it (Reset, then Play).
    third = gate.open()
    assert not gate.finish(second) and gate.step(third, _CountingSession(), 1), "an old turn closed a new one"
    assert gate.finish(third) and not gate.step(third, _CountingSession(), 1)


def test_exits_and_pharma_sites_take_the_palettes_colours(defaults):
    """The exits chart draws acquired, IPO and failed in plots.EXIT_COLOURS (as the overview does),
    and the map draws pharma sites in their origin's colour (as the overview and the trees do)."""
    from matplotlib.colors import same_color

    from ecosim.plots import EXIT_COLOURS, ORIGIN_COLOURS

    session = ViewSession(rng=3)
    for _ in range(12 * 10):
        session.step()
    exits = figures.exits_figure(session.sim)
    drawn = {line.get_label(): line.get_color() for line in exits.axes[0].get_lines()}
    assert len(drawn) == len(EXIT_COLOURS)
    for metric, colour in EXIT_COLOURS.items():
        assert same_color(drawn[i18n.text("metric_" + metric)], colour), metric
    fig = figures.map_figure(session.sim)
    pharma = i18n.text("pharma")
    (handle,) = [h for h in fig.axes[1].get_legend().legend_handles if h.get_label().startswith(pharma)]
    assert same_color(handle.get_markerfacecolor(), ORIGIN_COLOURS["pharma_site"])
    sites = np.array([s.xy_km for s in figures._site_groups(session.sim)["pharma"]])
    assert len(sites)
    (drawn_sites,) = [c for c in fig.axes[0].collections if np.array_equal(c.get_offsets(), sites)]
    assert same_color(drawn_sites.get_facecolor()[0], ORIGIN_COLOURS["pharma_site"])


def test_every_policy_of_every_scenario_has_a_japanese_name():
    """The charts mark each policy by name: in Japanese its name_ja (Bayh-Dole showed in English).
    Scripted events have no name of their own (their marks are i18n labels, checked above)."""
    from ecosim.scenario import ScriptedEvent

    assert "name" not in ScriptedEvent.model_fields and "name_ja" not in ScriptedEvent.model_fields
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) > 5
    for path in files:
        scenario = load(path)
        for policy in [*scenario.policies, *scenario.levers.values()]:
            assert policy.name_ja, f"{path.name}: {policy.name} has no name_ja"
    i18n.set_language("ja")
    marks = [label for _, label in figures.history(load(SCENARIOS / "san_diego.yaml"))]
    assert "バイ・ドール法" in marks and "Bayh-Dole Act" not in marks


def test_the_map_legend_tells_every_lineage_apart(defaults):
    """Greater Tokyo starts with unnamed firms all "present at start, 2021": each lineage's entry
    in the legend still names it apart (its root's id after the shared label)."""
    session = ViewSession(scenario_file="greater_tokyo.yaml", rng=1)
    for _ in range(12 * 5):
        session.step()
    fig = figures.map_figure(session.sim)
    legend = fig.axes[1].get_legend()
    dots = [
        (h.get_markerfacecolor(), t.get_text())
        for h, t in zip(legend.legend_handles, legend.texts, strict=True)
        if h.get_marker() == "o" and t.get_text() != i18n.text("other_lineages")
    ]
    lineages = [label for colour, label in dots if colour in figures.LINEAGE_COLOURS]
    shared = i18n.text("root_other", origin=i18n.text("preexisting"), year=2021)
    assert sum(label.startswith(shared) for label in lineages) >= 2, lineages
    assert len(set(lineages)) == len(lineages), lineages
    assert figures.lineage_names([1, 2, 3], {1: "A", 2: "A", 3: "B"}) == {1: "A (#1)", 2: "A (#2)", 3: "B"}


def history_labels(ax):
    """The upright history labels of a chart."""
    return [t for t in ax.texts if t.get_rotation() == 90]


@pytest.mark.parametrize(
    ("scenario_file", "months", "levers", "language"),
    [
        ("san_diego.yaml", 12 * 10 + 1, {}, "en"),  # Feb 1988, the README's picture
        ("san_diego.yaml", 12 * 10 + 1, {}, "ja"),
        ("greater_tokyo.yaml", 12 * 5, {"lever_secretariat": True}, "en"),  # Jan 2026
    ],
)
def test_history_labels_keep_clear_of_the_legend_each_other_and_the_data(
    defaults, scenario_file, months, levers, language
):
    """Every history mark is labelled, upright inside the plot (none cut off at its top), over no
    other label, with the legend outside the plot, and under the data lines (its white halo cut
    gaps in them); a label shortened to fit ends in an ellipsis."""
    session = ViewSession(scenario_file=scenario_file, rng=1, **levers)
    for _ in range(months):
        session.step()
    with matplotlib.rc_context():
        i18n.set_language(language)
        if language == "ja":
            i18n.use_japanese_font_in_matplotlib()
        now = figures.clock(session.sim)
        marks = [label for year, label in figures.history(session.config) if year <= now]
        charts = [
            figures.active_figure(session.sim, Path(scenario_file).stem),
            figures.founded_figure(session.sim),
        ]
        for fig in charts:
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            ax = fig.axes[0]
            frame = ax.get_window_extent(renderer)
            legend = fig.legends[0].get_window_extent(renderer)
            assert not legend.overlaps(frame), "the legend lies over the plot"
            labels = history_labels(ax)
            assert len(labels) == len(marks) >= 1, ([t.get_text() for t in labels], marks)
            boxes = [t.get_window_extent(renderer) for t in labels]
            for label, box, mark in zip(labels, boxes, marks, strict=True):
                written = label.get_text()
                shortened = written.endswith(figures.ELLIPSIS) and mark.startswith(written[:-1])
                assert written == mark or shortened, (written, mark)
                assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"{written} sticks out of the plot"
                assert frame.y0 <= box.y0 and box.y1 <= frame.y1, f"{written} is cut off"
            for i, box in enumerate(boxes):
                for j in range(i + 1, len(boxes)):
                    assert not box.overlaps(boxes[j]), (
                        f"{labels[i].get_text()} runs into {labels[j].get_text()}"
                    )
            data = [line for line in ax.get_lines() if line.get_linestyle() == "-" and len(line.get_xdata())]
            assert all(label.get_zorder() < line.get_zorder() for label in labels for line in data)


@pytest.mark.parametrize(
    ("scenario_file", "language"),
    [("san_diego.yaml", "en"), ("san_diego.yaml", "ja"), ("greater_tokyo.yaml", "en")],
)
def test_family_tree_text_is_readable_where_shown_and_its_legend_off_the_tree(
    defaults, scenario_file, language
):
    """The page shows the tree as wide as a chart (the side column): shown there, its smallest
    text is at least 9 pt (12 CSS px; at 5 inches wide with a long title it was about 6 px), and
    its legend lies under the plot, clear of the tree's lines and of the axis' text."""
    session = ViewSession(scenario_file=scenario_file, rng=1)
    for _ in range(12 * 10 + 1 if scenario_file == "san_diego.yaml" else 12 * 5):
        session.step()
    with matplotlib.rc_context():
        i18n.set_language(language)
        if language == "ja":
            i18n.use_japanese_font_in_matplotlib()
        fig = figures.lineage_figure(session.sim)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # The page saves the figure with bbox_inches="tight" (0.1 inch around) into a column a chart wide.
    shown = (fig.get_tightbbox(renderer).width + 0.2) * fig.dpi
    scale = min(1.0, figures.CHART_SIZE[0] * figures.DPI / shown)
    ax = fig.axes[0]
    legend = ax.get_legend() or fig.legends[0]
    texts = [ax.title, ax.xaxis.label, *ax.get_xticklabels(), *ax.texts, *legend.get_texts()]
    texts = [t for t in texts if t.get_text() and t.get_visible()]
    assert len(texts) > 5
    for item in texts:
        assert item.get_fontsize() * fig.dpi / 72 * scale >= 12, (item.get_text(), item.get_fontsize(), scale)
    box = legend.get_window_extent(renderer)
    assert not box.overlaps(ax.get_window_extent(renderer)), "the legend lies on the tree"
    for item in [ax.xaxis.label, *ax.get_xticklabels()]:
        assert not box.overlaps(item.get_window_extent(renderer)), item.get_text()
