"""The report: paired differences, factorial effects with CIs, tables and figures, CLI."""

from __future__ import annotations

import math
from itertools import combinations
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest
from test_sweep_support import EFFECT_A, EFFECT_B, INTERACTION_AB, write_spec

from ecosim import engine, i18n, plots, report, sweep
from ecosim.cli import main
from ecosim.store import RunStore

YEARS = 3


@pytest.fixture
def swept(tmp_path):
    plan = sweep.plan(write_spec(tmp_path, replications=4), allow_runner=True)
    out = tmp_path / "sweep"
    sweep.run_sweep(plan, RunStore(out), engine.SerialExecutor(), command=["t"])
    return out


def test_t_interval():
    mean, low, high, n = report.t_interval(np.array([1.0, 2.0, 3.0, np.nan]))
    assert (mean, n) == (2.0, 3)
    assert low == pytest.approx(2 - 4.302653 / math.sqrt(3))
    assert high == pytest.approx(2 + 4.302653 / math.sqrt(3))
    assert math.isnan(report.t_interval(np.array([5.0]))[1])


def test_effects_recover_the_fake_models_levers(swept):
    data = report.load_sweep(swept)
    values = report.run_metrics(data.runs, data.yearly, data.metrics, data.window)
    assert len(values) == 16
    diffs = report.paired_differences(
        values, "baseline", ["baseline", "a", "b", "a+b"], ["startups_founded"]
    ).set_index("arm")
    both = diffs.loc["a+b"]
    assert both["difference"] == pytest.approx(YEARS * (EFFECT_A + EFFECT_B + INTERACTION_AB))
    assert both["ci_low"] == pytest.approx(both["ci_high"])  # CRN: the noise cancels exactly
    main_fx, inter, cond = report.factorial_effects(values, data.arms, data.factors, ["startups_founded"])
    effect = main_fx.set_index("factor")["effect"]
    assert effect["a"] == pytest.approx(YEARS * (EFFECT_A + INTERACTION_AB / 2))
    assert effect["b"] == pytest.approx(YEARS * (EFFECT_B + INTERACTION_AB / 2))
    assert inter["interaction"].iloc[0] == pytest.approx(YEARS * INTERACTION_AB)
    a_given_b = cond[(cond["factor"] == "a") & (cond["given"] == "b")].set_index("given_state")
    assert a_given_b.loc["off", "effect"] == pytest.approx(YEARS * EFFECT_A)
    assert a_given_b.loc["on", "effect"] == pytest.approx(YEARS * (EFFECT_A + INTERACTION_AB))


def test_factors_keep_the_design_order(tmp_path):
    spec = write_spec(tmp_path, design={"type": "factorial", "levers": ["b", "a"]})
    sweep.run_sweep(
        sweep.plan(spec, allow_runner=True), RunStore(tmp_path / "s"), engine.SerialExecutor(), command=["t"]
    )
    data = report.load_sweep(tmp_path / "s")
    assert list(data.factors) == ["b", "a"]
    legacy = {**data.manifest, "factors": {"a": [False, True], "b": [False, True]}}
    assert list(report.SweepData(legacy, data.runs, data.yearly, data.metrics, data.window).factors) == [
        "b",
        "a",
    ]


def test_stock_and_summary_metrics(swept):
    data = report.load_sweep(swept)
    values = report.run_metrics(
        data.runs, data.yearly, ["startups_active_end", "largest_lineage"], (2021, 2022)
    )
    runs, yearly = RunStore(swept).load()
    first = values.iloc[0]
    row = yearly[(yearly["run_id"] == first["run_id"]) & (yearly["year"] == 2022)]
    assert first["startups_active_end"] == row["startups_active"].iloc[0]
    lineage = runs.set_index("run_id").loc[first["run_id"], "summary.largest_lineage"]
    assert first["largest_lineage"] == lineage


def test_report_writes_tables_and_figures(swept, tmp_path, capsys):
    out = tmp_path / "report"
    out.mkdir()
    # An earlier report's table that this sweep does not make goes; a file of another command stays.
    (out / "prim_boxes.csv").write_text("stale")
    (out / "sweep_manifest.json").write_text("{}")
    assert main(["report", str(swept), "--out", str(out)]) == 0
    assert not (out / "prim_boxes.csv").exists() and (out / "sweep_manifest.json").exists()
    names = {p.name for p in out.iterdir()}
    assert {
        "arm_summary.csv",
        "vs_baseline.csv",
        "main_effects.csv",
        "interactions.csv",
        "conditional_effects.csv",
        "run_metrics.csv",
        "report_manifest.json",
        "main_effects.png",
        "vs_baseline.png",
        "interactions.png",
        "amplification.png",
        "founding_over_time.png",
        "channels.png",
    } <= names
    vs = pd.read_csv(out / "vs_baseline.csv")
    assert set(vs["arm"]) == {"a", "b", "a+b"}
    assert set(vs["metric"]) == set(sweep.DEFAULT_METRICS)
    assert str(out) in capsys.readouterr().out
    readme = (out / "README.md").read_text()
    all_on = vs[(vs["arm"] == "a+b") & (vs["metric"] == sweep.DEFAULT_METRICS[0])].iloc[0]
    assert f"{all_on['difference']:+,.0f} (95% CI" in readme  # the numbers come from the tables
    assert "Main effect of each lever" in readme


def test_report_tolerates_failed_runs(tmp_path):
    design = {
        "type": "arms",
        "arms": [
            {"name": "baseline"},
            {"name": "bad", "levers": ["boom"]},
            {"name": "good", "levers": ["a"]},
        ],
    }
    plan = sweep.plan(write_spec(tmp_path, design=design), allow_runner=True)
    sweep.run_sweep(plan, RunStore(tmp_path / "s"), engine.SerialExecutor(), command=["t"])
    paths = report.write_report(tmp_path / "s")
    vs = pd.read_csv(tmp_path / "s" / "report" / "vs_baseline.csv")
    assert set(vs["arm"]) == {"good"}
    assert any(p.name == "vs_baseline.png" for p in paths)


def test_report_of_a_folder_without_a_sweep_exits_2(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "no sweep manifest" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Figures, read through the renderer: where things are drawn, what they say, in which colour.

COUNTERFACTUALS = {
    "type": "arms",
    "arms": [
        {"name": "baseline"},
        {"name": "history with a", "levers": ["a"]},
        {"name": "b", "levers": ["b"]},
    ],
}
"""An arms design of three histories, as results/lineages/counterfactual."""


def figure_inputs(folder, design=None):
    """A fake sweep's report inputs: data, per-run values, arm summary, differences, names."""
    spec = write_spec(folder, **({"design": design} if design else {}), replications=3)
    plan = sweep.plan(spec, allow_runner=True)
    sweep.run_sweep(plan, RunStore(folder / "s"), engine.SerialExecutor(), command=["t"])
    data = report.load_sweep(folder / "s")
    values = report.run_metrics(data.runs, data.yearly, data.metrics, data.window)
    arms = [arm["name"] for arm in data.arms]
    summary = report.arm_summary(values, arms, data.metrics)
    diffs = report.paired_differences(values, data.baseline, arms, data.metrics)
    return data, values, summary, diffs, report.ArmNames(data)


def drawn(fig):
    """The figure drawn once, and its renderer (extents are measured on it)."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


@pytest.mark.parametrize(("design", "title"), [(COUNTERFACTUALS, "the arms"), (None, "the levers")])
def test_channels_legend_clears_the_axis_label_and_the_title_names_the_arms(tmp_path, design, title):
    data, _, summary, diffs, names = figure_inputs(tmp_path, design)
    fig = report.plot_channels(summary, diffs, report._showcase_arms(data), names, tmp_path / "c.png")
    left, right = fig.axes
    renderer = drawn(fig)
    legend = left.get_legend().get_window_extent(renderer)
    axis = left.xaxis.get_tightbbox(renderer)  # tick labels and the label "firms in the window"
    assert legend.y1 <= axis.y0 - 3 * fig.dpi / 72, (legend, axis)  # 3 points apart at least
    assert right.get_title() == f"Which channels {title} move"


@pytest.mark.parametrize(
    ("design", "title"), [(COUNTERFACTUALS, "Each arm vs"), (None, "Each policy mix vs")]
)
def test_vs_baseline_title_names_the_arms_as_the_design_makes_them(tmp_path, design, title):
    """A counterfactual's arms are histories, not mixes of policies: only a factorial's are."""
    _, _, _, diffs, names = figure_inputs(tmp_path, design)
    fig = report.plot_vs_baseline(diffs, list(sweep.DEFAULT_METRICS), names, tmp_path / "v.png")
    assert fig.get_suptitle().replace("\n", " ").startswith(title), fig.get_suptitle()


def test_vs_baseline_keeps_every_point_half_a_row_inside_its_panel(tmp_path):
    _, _, _, diffs, names = figure_inputs(tmp_path, COUNTERFACTUALS)
    fig = report.plot_vs_baseline(diffs, list(sweep.DEFAULT_METRICS), names, tmp_path / "v.png")
    drawn(fig)
    for ax in fig.axes:
        frame = ax.get_window_extent()
        (points,) = ax.collections[-1:]  # the scatter of means, over the whiskers
        y = ax.transData.transform(points.get_offsets())[:, 1]
        row = abs(ax.transData.transform((0, 1))[1] - ax.transData.transform((0, 0))[1])
        assert len(y) == 2 and row > 0.3 * fig.dpi  # two arms, a third of an inch each at least
        assert (y - frame.y0).min() >= row / 2 - 0.5 and (frame.y1 - y).min() >= row / 2 - 0.5, (
            frame,
            y,
            row,
        )


def dose_arms(count):
    """An arms design of a baseline and ``count`` other arms (dose_response_* has 1 + 10)."""
    others = [{"name": f"dose {i}", "levers": ["a"] if i % 2 else ["b"]} for i in range(count)]
    return {"type": "arms", "arms": [{"name": "baseline"}, *others]}


def lines_of(fig):
    """Each drawn line's legend label and its width, colour and style."""
    (ax,) = fig.axes
    return {
        line.get_label(): (line.get_linewidth(), line.get_color(), line.get_linestyle()) for line in ax.lines
    }


@pytest.mark.parametrize(("count", "design"), [(10, "arms"), (12, "arms"), (None, "factorial")])
def test_founding_over_time_shows_its_arms_or_says_which_not_and_emphasises_only_the_arms_meant(
    tmp_path, count, design
):
    data, _, summary, diffs, names = figure_inputs(tmp_path, dose_arms(count) if count else None)
    shown = report._showcase_arms(data)
    fig = report.plot_founding_over_time(data, shown, names, tmp_path / "f.png")
    lines = lines_of(fig)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [names.arm(arm) for arm in shown] == list(lines)
    assert len({style[1:] for style in lines.values()}) == len(lines), (
        "each arm a colour and style of its own"
    )
    thick = {label for label, (width, _, _) in lines.items() if width > 2}
    assert thick == ({"baseline"} if design == "arms" else {"baseline", "all levers on"})
    title = fig.axes[0].get_title()
    channels = report.plot_channels(
        summary, diffs, shown, names, tmp_path / "c.png", report._showcase_note(data, shown)
    )
    if count == 12:  # 13 arms: a dozen shown, and the figures say so
        assert len(shown) == report.MAX_ROWS
        assert "the first 12 of 13 arms in the design" in title
        assert "the first 12 of 13 arms in the design" in channels.axes[0].get_title()
    else:
        assert len(shown) == len(data.arms) and "\n" not in title


@pytest.mark.parametrize(
    ("lang", "money", "firms"),
    [
        ("en", "difference from the baseline (USD m, 2000 prices)", "difference from the baseline (firms)"),
        ("ja", "ベースラインとの差（百万米ドル、2000年価格）", "ベースラインとの差（社）"),
    ],
)
def test_vs_baseline_axes_carry_the_metrics_units(tmp_path, lang, money, firms):
    _, _, _, diffs, names = figure_inputs(tmp_path)
    with i18n.using(lang), matplotlib.rc_context():  # the Japanese font for this figure only
        i18n.use_japanese_font_in_matplotlib()
        fig = report.plot_vs_baseline(diffs, list(sweep.DEFAULT_METRICS), names, tmp_path / "v.png")
        axis = {ax.get_title().split("\n")[0]: ax.get_xlabel() for ax in fig.axes}
        assert axis[report.short_metric("vc_invested")] == money
        assert axis[report.short_metric("startups_founded")] == firms


def contrast(one, other):
    """WCAG contrast ratio of two colours (1 to 21; 4.5 is enough for normal text)."""
    from matplotlib.colors import to_rgb

    def luminance(colour):
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_interactions_numbers_readable_on_every_cell_and_the_diagonal_drawn_empty(tmp_path):
    # gtb_levers' shape: the darkest reds (+9.8, +10.2), a pale cell, a mid blue.
    factors = ["w", "x", "y", "z"]
    values = dict(zip(combinations(factors, 2), (10.2, 9.8, 0.4, -5.0, 6.0, -10.2), strict=True))
    inter = pd.DataFrame(
        [
            dict(
                factor_a=a, factor_b=b, metric="startups_founded", interaction=v, ci_low=v - 1, ci_high=v + 1
            )
            for (a, b), v in values.items()
        ]
    )
    fig = report.plot_interactions(
        inter, factors, "startups_founded", SimpleNamespace(lever=str), tmp_path / "i.png"
    )
    ax = fig.axes[0]
    (image,) = ax.images
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
    assert len(cells) == 12  # every pair twice, nothing on the diagonal
    for (i, j), label in cells.items():
        fill = image.cmap(image.norm(image.get_array()[i, j]))
        assert contrast(label.get_color(), fill) >= 4.5, (label.get_text(), label.get_color(), fill)
    zero = image.cmap(image.norm(0.0))
    diagonal = [p for p in ax.patches if p.get_hatch()]
    assert sorted(p.get_xy() for p in diagonal) == [(i - 0.5, i - 0.5) for i in range(len(factors))]
    for patch in diagonal:  # grey, told apart from the white of "no interaction"
        assert contrast(patch.get_facecolor(), zero) > 1.2, (patch.get_facecolor(), zero)
    # The colour bar reads as a sentence with the metric's unit, an initialism kept.
    assert fig.axes[1].get_ylabel() == "extra startups founded when both are on (firms)"
    assert report.in_sentence("VC invested") == "VC invested"


def test_distinguishable_from_zero_is_one_colour_in_every_chart_of_effects(tmp_path):
    data, values, _, diffs, names = figure_inputs(tmp_path)
    metrics = list(sweep.DEFAULT_METRICS)
    main_fx, _, _ = report.factorial_effects(values, data.arms, data.factors, metrics)
    for fig, table, centre in (
        (report.plot_vs_baseline(diffs, metrics, names, tmp_path / "v.png"), diffs, "difference"),
        (report.plot_main_effects(main_fx, metrics, names, tmp_path / "m.png"), main_fx, "effect"),
    ):
        seen = set()
        for ax in fig.axes:
            if not ax.collections:
                continue
            title = ax.get_title().replace("\n", " ")
            metric = max((m for m in metrics if title.startswith(report.short_metric(m))), key=len)
            (points,) = ax.collections[-1:]
            x = points.get_offsets()[:, 0]
            part = table[table["metric"] == metric].set_index(centre)  # a point found by its value
            for value, face in zip(x, points.get_facecolors(), strict=True):
                row = part.loc[[value]].iloc[0]
                distinguishable = row["ci_low"] > 0 or row["ci_high"] < 0
                want = plots.DISTINGUISHABLE_COLOUR if distinguishable else plots.INDISTINGUISHABLE_COLOUR
                assert tuple(face) == matplotlib.colors.to_rgba(want)
                seen.add(distinguishable)
        assert seen == {True, False}, "both kinds drawn, so both colours are checked"


def test_a_row_of_small_means_and_their_difference_add_up():
    # Means of 5.5 and 6.5 were written "6" and "6" beside a difference of "+1 (95% CI 1 to 1)".
    import pandas as pd

    from ecosim import report

    row = pd.Series({"difference": 1.0, "ci_low": 0.6, "ci_high": 1.4})
    assert report.ci_text(row) == report.text("report_ci", value="+1.0", low="0.6", high="1.4")
    assert report.digits_for(5.5, 6.5, 0.6, 1.4) == 1 and report.digits_for(1046.0, 1171.0) == 0
    big = pd.Series({"difference": 125.4, "ci_low": 99.2, "ci_high": 151.0})
    assert report.ci_text(big) == report.text("report_ci", value="+125", low="99", high="151")


def test_a_label_and_its_unit_in_each_language_s_brackets():
    """Japanese text takes full-width brackets: "（社）", not the ASCII " (社)" of English."""
    with i18n.using("ja"):
        assert report.metric_label("startups_founded") == f"{report.short_metric('startups_founded')}（社）"
    with i18n.using("en"):
        assert report.metric_label("startups_founded") == f"{report.short_metric('startups_founded')} (firms)"
