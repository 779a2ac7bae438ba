"""The Mesa/Solara page of ecosim: map, controls, live charts and the family tree.

Solara imports this module by name (``SOLARA_APP=ecosim.viz.app``) and renders ``Page``. What
to show comes from the environment, set by ``ecosim viz`` before the server starts:
``ECOSIM_VIZ_SCENARIO`` (the scenario file the page opens with), ``ECOSIM_VIZ_LANG`` ("en" or
"ja") and ``ECOSIM_VIZ_SEED``. Each browser session gets its own run.

The page has the layout of Mesa's ``SolaraViz`` (app bar; a sidebar with Controls, Model
parameters and Information cards; the model's components in the main area) and is built from
Mesa's parts: the model is a Mesa model (:class:`ViewSession`), the parameter inputs are
Mesa's ``UserInputs`` fed from ``model_params``, Reset rebuilds the model as
``type(model)(**control_values)`` and the components redraw on Mesa's ``update_counter``.
Three parts are our own because ``SolaraViz`` (Mesa 3.5) fixes them:

* the controller (Reset, Play/Pause, Step): ``SolaraViz`` labels its cards, sliders and buttons
  in English only, and one Step there moves as many steps as the render-interval slider; here
  every label is in the page's language, Step moves one month by default and Play moves a few
  months per frame (drawing every month would make Play slow);
* the main area: ``SolaraViz`` puts each component in a half-width cell of a draggable grid
  under a "Page 0" tab; here the map is the large, first element (sized to the region's shape
  and the window's height) with the family tree and charts beside and below it, which suits a
  projector;
* the GTB lever switches: they are shown disabled, with a note, when the scenario selected
  does not define them.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import solara
import solara.lab
from mesa.visualization import Slider
from mesa.visualization.solara_viz import UserInputs
from mesa.visualization.utils import force_update, update_counter

from ecosim import i18n
from ecosim.agents.firm import FOUNDING_ORIGINS
from ecosim.runner import DEFAULT_SEED
from ecosim.scenario import FACTOR_NAMES, ScenarioError
from ecosim.viz import figures
from ecosim.viz.session import (
    COMPARE_NO_LEVERS,
    LEVER_PREFIX,
    TIMELINE_SCALE_MAX,
    PageDefaults,
    ViewSession,
    page_defaults,
)

ENV_SCENARIO = "ECOSIM_VIZ_SCENARIO"
ENV_LANG = "ECOSIM_VIZ_LANG"
ENV_SEED = "ECOSIM_VIZ_SEED"
ENV_COMPARE = "ECOSIM_VIZ_COMPARE"
DEFAULT_SCENARIO = Path(__file__).resolve().parents[3] / "scenarios" / "san_diego.yaml"
FONT_URL = "/static/assets/ipaexg.ttf"
FIGURE_CLASSES = {
    "map": "ecosim-map",
    "founded": "ecosim-chart-founded",
    "active": "ecosim-chart-active",
    "exits": "ecosim-chart-exits",
    "vc": "ecosim-chart-vc",
    "lineage": "ecosim-lineage",
    "difference": "ecosim-chart-difference",
}
# The map takes the window's height less the app bar and the status lines above it; the side
# column (family tree, active firms) sits beside it when the window is wide enough, else below.
PAGE_CSS = """
.ecosim-main { width: 100%; }
.ecosim-status { font-size: 22px; font-weight: bold; line-height: 1.25; }
.ecosim-settings { font-size: 14px; color: #444; }
.ecosim-board { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-start; }
.ecosim-figure img { display: block; max-width: 100%; height: auto; }
.ecosim-map img { max-height: max(380px, calc(100vh - 270px)); width: auto; }
.ecosim-board > .ecosim-map { flex: 0 1 auto; min-width: 0; max-width: calc(100% - 346px); }
.ecosim-side { flex: 0 1 330px; min-width: 300px; display: flex; flex-direction: column; gap: 8px; }
.ecosim-charts { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-top: 8px; }
.ecosim-lever-note, .ecosim-hint, .ecosim-timeline-note { font-size: 14px; color: #555; }
.ecosim-full .ecosim-map img { max-height: calc(100vh - 170px); }
.ecosim-full .ecosim-board > .ecosim-map { max-width: 100%; }
.ecosim-pair .ecosim-map img { max-height: max(320px, calc(100vh - 270px)); max-width: 100%; }
.ecosim-board > .ecosim-pair { flex: 1 1 0; min-width: 0; max-width: calc(100% - 346px); flex-wrap: nowrap; }
.ecosim-pair > .ecosim-map { flex: 1 1 0; min-width: 0; }
.ecosim-full .ecosim-board > .ecosim-pair { max-width: 100%; }
"""
"""The map takes the window's height less the app bar and the status lines; charts are never
scaled up or down by more than the window forces (their fonts are set for a projector)."""
SPEEDS = {"slow": (1, 250), "normal": (3, 60), "fast": (12, 0)}
"""Play speeds: months per drawn frame and the pause between frames (ms)."""


def japanese_css() -> str:
    """CSS that makes the browser draw Japanese text with the packaged IPAexGothic font.

    The font is declared under its own name and, for CJK code points only, under the names of
    the fonts Vuetify uses, so every label finds its glyphs without any system CJK font.
    """
    ranges = "U+3000-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF"
    faces = "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{FONT_URL}") format("truetype");'
        f" unicode-range: {ranges}; }}"
        for family in ("Roboto", "IPAexGothic")
    )
    return faces + '\nbody, .v-application { font-family: Roboto, "IPAexGothic", sans-serif; }\n'


def page_css() -> str:
    """The page's CSS (with the Japanese font faces when the labels are Japanese)."""
    return PAGE_CSS + (japanese_css() if i18n.language() == "ja" else "")


def _figure(fig: Any, css_class: str) -> None:
    # The figure's label says in words what the picture shows (title, month, history marks):
    # the text a screen reader reads and a pointer's tooltip shows.
    described = {"role": "img", "aria-label": fig.get_label(), "title": fig.get_label()}
    with solara.Div(classes=["ecosim-figure", css_class], attributes=described if fig.get_label() else {}):
        solara.FigureMatplotlib(fig, format="png", bbox_inches="tight")


def settings_line(model: ViewSession) -> str:
    """What this run was built with: file, seed, factor levels now, levers switched on.

    A factor whose slider scales a timeline shows its level now and the multiplier its slider
    is at, so the line and the sliders always agree.
    """
    sim = model.sim
    timelines = model.defaults_used.timelines
    parts = []
    for name in FACTOR_NAMES:
        level = model.config.factors.at(name, figures.clock(sim))
        value = (
            i18n.text("timeline_short", value=level, scale=model.factor_controls.get(name, 1.0))
            if name in timelines
            else f"{level:.2f}"
        )
        parts.append(f"{i18n.text('short_' + name)} {value}")
    levers = [
        figures.local(lever.short or key, lever.short_ja)
        for key, lever in model.config.levers.items()
        if lever.enabled
    ]
    on = ", ".join(levers) if levers else i18n.text("none")
    return (
        f"{model.scenario_file} · {i18n.text('seed')} {model.seed} · {' · '.join(parts)} · "
        f"{i18n.text('levers_on')}: {on}"
    )


def status_line(model: ViewSession) -> str:
    """The headline over the map: the month shown and the startup counts."""
    sim = model.sim
    return i18n.text(
        "status",
        year=figures.year_label(figures.clock(sim)),
        startups=len(sim.startups),
        founded=sum(1 for f in sim.firms if f.origin in FOUNDING_ORIGINS),
        lineages=sum(1 for n in figures.lineage_sizes(sim).values() if n > 1),
    )


def progress_line(model: ViewSession) -> str:
    """How far the run is: months simulated of the scenario's months."""
    start, end = model.config.start_year, model.config.end_year
    months = (end - start + 1) * 12
    month = min(months, int(model.sim.steps))
    return i18n.text("run_progress", month=month, months=months, start=start, end=end)


@solara.component
def StatusPanel(  # noqa: N802 (Solara components are CamelCase)
    model: ViewSession, colour_by: solara.Reactive[str], full: solara.Reactive[bool]
) -> None:
    """The status lines over the whole width, the colour choice and the full-screen switch."""
    update_counter.get()
    with solara.Column(gap="2px", classes=["ecosim-status-cell"]):
        solara.Text(status_line(model), classes=["ecosim-status"])
        solara.Text(settings_line(model), classes=["ecosim-settings"])
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text(i18n.text("color_by"))
            solara.ToggleButtonsSingle(
                value=colour_by,
                dense=True,
                children=[
                    solara.Button(i18n.text("by_lineage"), value="lineage", text=True, small=True),
                    solara.Button(i18n.text("by_stage"), value="stage", text=True, small=True),
                ],
            )
            solara.Button(
                i18n.text("leave_full_screen" if full.value else "full_screen"),
                small=True,
                outlined=True,
                on_click=lambda: full.set(not full.value),
                classes=["ecosim-full-screen"],
            )


@solara.component
def MapPanel(model: ViewSession, colour_by: str) -> None:  # noqa: N802
    """The region map (two maps side by side when the session runs a second simulation)."""
    update_counter.get()
    if model.twin is None:
        _figure(figures.map_figure(model.sim, colour_by), FIGURE_CLASSES["map"])
        return
    main_label, twin_label = run_labels(model)
    with solara.Row(gap="8px", classes=["ecosim-pair"]):
        _figure(
            figures.map_figure(model.sim, colour_by, legend=False, subtitle=main_label), FIGURE_CLASSES["map"]
        )
        _figure(
            figures.map_figure(model.twin, colour_by, legend=False, subtitle=twin_label),
            FIGURE_CLASSES["map"],
        )


def run_labels(model: ViewSession) -> tuple[str, str]:
    """What tells the two runs of the side-by-side view apart."""
    if model.compare == COMPARE_NO_LEVERS:
        return i18n.text("with_levers"), i18n.text("without_levers")
    return (
        figures.scenario_title(model.config),
        figures.scenario_title(model.twin_config) if model.twin_config else "",
    )


@solara.component
def FigurePanel(model: ViewSession, kind: str) -> None:  # noqa: N802
    """One chart or the family tree, redrawn on every update."""
    update_counter.get()
    if kind == "difference":
        if model.twin is None:  # the panel is shown only beside a twin run
            return
        fig = figures.difference_figure(model.sim, model.twin, *run_labels(model))
    elif kind == "active":
        fig = figures.active_figure(model.sim, Path(model.scenario_file).stem)
    else:
        draw = {
            "lineage": figures.lineage_figure,
            "founded": figures.founded_figure,
            "exits": figures.exits_figure,
            "vc": figures.vc_figure,
        }[kind]
        fig = draw(model.sim)
    _figure(fig, FIGURE_CLASSES[kind])


@solara.component
def Dashboard(model: ViewSession) -> None:  # noqa: N802
    """The main area: the map first and large with one chart beside it (what a room sees at
    1280x720 without scrolling), the family tree and other charts below; in full-screen mode
    the map alone; side by side, two maps and their difference.
    """
    full = solara.use_reactive(False)
    colour_by = solara.use_reactive("lineage")
    classes = ["ecosim-main"] + (["ecosim-full"] if full.value else [])
    with solara.Column(gap="0px", classes=classes):
        StatusPanel(model, colour_by, full)
        with solara.Div(classes=["ecosim-board"]):
            MapPanel(model, colour_by.value)
            if not full.value:
                with solara.Div(classes=["ecosim-side"]):
                    FigurePanel(model, "difference" if model.twin is not None else "active")
                    if model.twin is None:
                        FigurePanel(model, "lineage")
        if not full.value:
            with solara.Div(classes=["ecosim-charts"]):
                paired = model.twin is not None
                kinds = ("active", "founded", "lineage") if paired else ("founded", "exits", "vc")
                for kind in kinds:
                    FigurePanel(model, kind)


def step_months(session: ViewSession, months: int) -> None:
    """Steps ``session`` by up to ``months`` months, stopping where the run ends."""
    for _ in range(months):
        if not session.running:
            break
        session.step()


class PlayGate:
    """Play's switch, flipped and read under the lock that every month is stepped under.

    The Play loop runs in a thread of its own. When it read a reactive flag, a frame already
    begun could step on after Pause had been clicked and drawn. Here Pause waits for the months
    being stepped (one frame: up to 12 at "fast"), then closes the gate, so no month is stepped
    once Pause's click is handled. Each Play opens a new turn, so a loop left over from an earlier
    turn neither steps nor, when its run ends, closes the gate of the turn after it.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.turn = 0
        self.on = False

    def open(self) -> int:
        """Opens the gate for a new turn and returns the turn's number."""
        with self.lock:
            self.turn += 1
            self.on = True
            return self.turn

    def close(self) -> None:
        """Closes the gate once the months being stepped, if any, are done."""
        with self.lock:
            self.on = False

    def finish(self, turn: int) -> bool:
        """Closes the gate if ``turn`` is the current one (its run has ended); False if it is not."""
        with self.lock:
            if self.turn != turn:
                return False
            self.on = False
            return True

    def step(self, turn: int, session: ViewSession, months: int) -> bool:
        """Steps ``session`` up to ``months`` months if ``turn`` is still open; False if it is not."""
        with self.lock:
            if not self.on or self.turn != turn:
                return False
            step_months(session, months)
            return True


@solara.component
def Controller(  # noqa: N802
    model: solara.Reactive[ViewSession], controls: solara.Reactive[dict[str, Any]]
) -> None:
    """Reset, Play/Pause, Step (one month), +1 year and one speed control (slow, normal, fast).

    Reset builds a new run from the controls' current values, as Mesa's ModelController does.
    """
    update_counter.get()
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("normal")
    error: solara.Reactive[str | None] = solara.use_reactive(None)
    gate = solara.use_memo(PlayGate, dependencies=[])
    turn = solara.use_reactive(0)
    running = bool(model.value.running)

    def advance(months: int) -> None:
        with gate.lock:  # Step and +1 year are disabled while playing; the lock makes sure
            step_months(model.value, months)
        force_update()

    def play() -> None:
        mine = turn.value  # read before the thread's loop: Solara runs only the current task
        if not playing.value:
            return
        while model.value.running:
            months, pause_ms = SPEEDS[speed.value]
            time.sleep(pause_ms / 1000)
            if not gate.step(mine, model.value, months):
                return
            force_update()
        if gate.finish(mine):  # the run ended on this turn: show Play again
            playing.value = False

    solara.lab.use_task(play, dependencies=[playing.value, turn.value], prefer_threaded=True)

    def toggle() -> None:
        if playing.value:
            gate.close()
            playing.value = False
            force_update()
        else:
            turn.value = gate.open()
            playing.value = True

    def reset() -> None:
        gate.close()
        playing.value = False
        try:
            model.value = type(model.value)(**controls.value)
        except ScenarioError as exc:
            error.value = i18n.text("reset_error", error=str(exc))
        else:
            error.value = None
            force_update()

    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.Text(i18n.text("speed"))
        solara.ToggleButtonsSingle(
            value=speed,
            dense=True,
            children=[
                solara.Button(i18n.text(f"speed_{name}"), value=name, text=True, small=True)
                for name in SPEEDS
            ],
        )
    with solara.Row(justify="space-between", classes=["ecosim-buttons"]):
        solara.Button(label=i18n.text("reset"), color="primary", on_click=reset)
        solara.Button(
            label=i18n.text("pause") if playing.value else i18n.text("play"),
            color="primary",
            on_click=toggle,
            disabled=not running,
        )
    with solara.Row(justify="space-between", classes=["ecosim-buttons"]):
        solara.Button(
            label=i18n.text("step"),
            color="primary",
            on_click=lambda: advance(1),
            disabled=playing.value or not running,
        )
        solara.Button(
            label=i18n.text("step_year"),
            color="primary",
            on_click=lambda: advance(12),
            disabled=playing.value or not running,
        )
    if error.value:
        solara.Error(label=error.value)


@solara.component
def LeverSwitches(controls: solara.Reactive[dict[str, Any]], defaults: PageDefaults) -> None:  # noqa: N802
    """One switch per GTB lever; disabled, with a note, where the selected scenario has none."""
    selected = controls.value.get("scenario_file") or defaults.scenario_file
    available = set(defaults.levers_of(selected))
    if not defaults.levers:
        return
    with solara.Column(gap="0px", classes=["ecosim-levers"]):
        solara.Text(i18n.text("levers_title"), style={"font-weight": "bold", "margin-top": "8px"})
        if not available:
            files = ", ".join(defaults.files_with_levers)
            solara.Text(i18n.text("no_levers", file=selected, files=files), classes=["ecosim-lever-note"])
        for name in defaults.levers:
            key = LEVER_PREFIX + name
            active = name in available

            def switch(value: bool, key: str = key) -> None:
                controls.value = {**controls.value, key: bool(value)}

            solara.Switch(
                label=lever_label(name, defaults),
                value=bool(controls.value.get(key)) and active,
                on_value=switch,
                disabled=not active,
                classes=["ecosim-lever"],
            )


@solara.component
def Information(model: ViewSession) -> None:  # noqa: N802
    """How far the run is, and whether it has ended."""
    update_counter.get()
    solara.Text(progress_line(model), classes=["ecosim-progress"])
    if not model.running:
        solara.Text(i18n.text("run_finished"))


@solara.component
def EcosimViz(  # noqa: N802
    model: solara.Reactive[ViewSession],
    controls: solara.Reactive[dict[str, Any]],
    model_params: dict[str, Any],
    defaults: PageDefaults,
) -> None:
    """App bar, sidebar (controls, parameters, information) and the main area."""
    solara.Style(page_css())
    with solara.AppBar():
        solara.AppBarTitle(i18n.text("title"))
    inputs = {k: v for k, v in model_params.items() if k in ("scenario_file", "rng")}

    def on_change(name: str, value: Any) -> None:
        controls.value = {**controls.value, name: value}

    with solara.Sidebar(), solara.Column():
        with solara.Card(i18n.text("controls")):
            Controller(model, controls)
        with solara.Card(i18n.text("model_parameters")):
            UserInputs(inputs, on_change=on_change)
            FactorSliders(controls, defaults)
            LeverSwitches(controls, defaults)
            CompareSelect(controls, defaults)
            solara.Text(i18n.text("apply_hint"), classes=["ecosim-hint"])
        with solara.Card(i18n.text("information_card")):
            Information(model.value)
    Dashboard(model.value)


@solara.component
def FactorSliders(controls: solara.Reactive[dict[str, Any]], defaults: PageDefaults) -> None:  # noqa: N802
    """The five factors, each slider with its value always shown; a factor the scenario gives as
    a timeline gets a multiplier of its timeline, with a note saying so.
    """
    for name in FACTOR_NAMES:
        value = float(controls.value.get(name, defaults.factors[name]))
        timeline = name in defaults.timelines
        label = i18n.text("timeline_factor", label=i18n.text(name)) if timeline else i18n.text(name)

        def change(new: float, name: str = name) -> None:
            controls.value = {**controls.value, name: round(float(new), 2)}

        solara.SliderFloat(
            f"{label}: {value:.2f}",
            value=value,
            on_value=change,
            min=0.0,
            max=TIMELINE_SCALE_MAX if timeline else 1.0,
            step=0.05,
            thumb_label="always",
        )
        if timeline:
            solara.Text(
                i18n.text("timeline_note", label=i18n.text(name), timeline=defaults.timelines[name]),
                classes=["ecosim-timeline-note"],
            )


@solara.component
def CompareSelect(controls: solara.Reactive[dict[str, Any]], defaults: PageDefaults) -> None:  # noqa: N802
    """The side-by-side choice: nothing, the same run without its levers, or another scenario."""
    options = {i18n.text("compare_off"): "", i18n.text("compare_no_levers"): COMPARE_NO_LEVERS}
    options.update({name: name for name in defaults.files})
    current = controls.value.get("compare", "")
    shown = next((label for label, value in options.items() if value == current), "")

    def choose(label: str) -> None:
        controls.value = {**controls.value, "compare": options.get(label, "")}

    with solara.Div(classes=["ecosim-compare"]):
        solara.Select(i18n.text("compare"), value=shown, values=list(options), on_value=choose)


def lever_label(name: str, defaults: PageDefaults) -> str:
    """The switch label of a GTB lever in the current language (the scenario's name_ja)."""
    if i18n.language() == "ja" and defaults.lever_labels_ja.get(name):
        return defaults.lever_labels_ja[name]
    return defaults.lever_labels.get(name) or f"{i18n.text('lever')}: {name}"


def model_params(defaults: PageDefaults) -> dict[str, Any]:
    """The page's controls: scenario, seed, five factor sliders, one switch per GTB lever."""
    params: dict[str, Any] = {
        "scenario_file": {
            "type": "Select",
            "value": defaults.scenario_file,
            "values": defaults.files,
            "label": i18n.text("scenario"),
        },
        "rng": {"type": "InputText", "value": str(defaults.seed), "label": i18n.text("seed")},
    }
    for name in FACTOR_NAMES:
        params[name] = {"type": "factor", "value": round(defaults.factors[name], 2), "label": i18n.text(name)}
    params["compare"] = {
        "type": "compare",
        "value": os.environ.get(ENV_COMPARE, ""),
        "label": i18n.text("compare"),
    }
    for name, enabled in defaults.levers.items():
        params[LEVER_PREFIX + name] = {
            "type": "Checkbox",
            "value": enabled,
            "label": lever_label(name, defaults),
        }
    return params


def initial_values(params: dict[str, Any]) -> dict[str, Any]:
    """The value every control starts at, as ViewSession keyword arguments."""
    return {
        name: (spec.value if isinstance(spec, Slider) else spec["value"]) for name, spec in params.items()
    }


def configure() -> tuple[PageDefaults, dict[str, Any]]:
    """Read the environment: language, starting scenario and seed."""
    language = os.environ.get(ENV_LANG, "en")
    i18n.set_language(language)
    if language == "ja":
        i18n.use_japanese_font_in_matplotlib()
    scenario = Path(os.environ.get(ENV_SCENARIO) or DEFAULT_SCENARIO)
    seed = int(os.environ.get(ENV_SEED, str(DEFAULT_SEED)))
    defaults = page_defaults(scenario, seed)
    ViewSession.defaults = defaults
    return defaults, model_params(defaults)


DEFAULTS, MODEL_PARAMS = configure()


@solara.component
def Page() -> Any:  # noqa: N802 (the name Solara looks for)
    """One browser session: its own run, its own control values, the ecosim page."""
    values = solara.use_memo(lambda: initial_values(MODEL_PARAMS), [])
    start = solara.use_memo(lambda: ViewSession(**values), [])
    model: solara.Reactive[ViewSession] = solara.use_reactive(start)
    controls = solara.use_reactive(values)
    return EcosimViz(model, controls, MODEL_PARAMS, DEFAULTS)
