"""The Mesa SolaraViz page of ecosim: map, controls, live charts and the family tree.

Solara imports this module by name (``SOLARA_APP=ecosim.viz.app``) and renders ``Page``. What
to show comes from the environment, set by ``ecosim viz`` before the server starts:
``ECOSIM_VIZ_SCENARIO`` (the scenario file the page opens with), ``ECOSIM_VIZ_LANG`` ("en" or
"ja") and ``ECOSIM_VIZ_SEED``. Each browser session gets its own run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.utils import update_counter

from ecosim.scenario import FACTOR_NAMES
from ecosim.viz import figures, i18n
from ecosim.viz.session import LEVER_PREFIX, PageDefaults, ViewSession, page_defaults

ENV_SCENARIO = "ECOSIM_VIZ_SCENARIO"
ENV_LANG = "ECOSIM_VIZ_LANG"
ENV_SEED = "ECOSIM_VIZ_SEED"
DEFAULT_SCENARIO = Path(__file__).resolve().parents[3] / "scenarios" / "san_diego.yaml"
FONT_URL = "/static/assets/ipaexg.ttf"
FIGURE_CLASSES = {
    "map": "ecosim-map",
    "founded": "ecosim-chart-founded",
    "active": "ecosim-chart-active",
    "exits": "ecosim-chart-exits",
    "vc": "ecosim-chart-vc",
    "lineage": "ecosim-lineage",
}
LEVER_LABELS_JA = {
    "secretariat": "GTB施策(1) 事務局とマスタープラン",
    "briefings": "GTB施策(2) 多様なプレイヤー向け説明会",
    "biofoundry": "GTB施策(3) バイオファウンドリ実証・人材育成拠点",
    "priority_evaluation": "GTB施策(4) 国の事業でのGTB内プロジェクトの重点評価",
    "exhibits": "GTB施策(5) BioJapan等での共同出展",
}
FIGURE_CSS = """
.ecosim-figure img { max-width: 100%; max-height: 380px; object-fit: contain; }
.ecosim-map img { max-height: 310px; }
"""
PLAY_INTERVAL_MS = 50
RENDER_INTERVAL_MONTHS = 3


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


def _figure(fig: Any, css_class: str) -> None:
    with solara.Div(classes=["ecosim-figure", css_class]):
        solara.FigureMatplotlib(fig, format="png", bbox_inches="tight")


@solara.component
def RegionPanel(model: ViewSession) -> None:  # noqa: N802 (Solara components are CamelCase)
    """The status line (year and headline counts) over the region map."""
    update_counter.get()
    colour_by, set_colour_by = solara.use_state("lineage")
    sim = model.sim
    if i18n.language() == "ja":
        solara.Style(japanese_css())
    founded = sum(1 for f in sim.firms if hasattr(f, "stage_index"))
    status = i18n.text(
        "status",
        year=figures.year_label(sim.year),
        startups=len(sim.startups),
        founded=founded,
        lineages=sum(1 for n in figures.lineage_sizes(sim).values() if n > 1),
    )
    solara.Style(FIGURE_CSS)
    with solara.Column(gap="2px"):
        solara.Text(status, classes=["ecosim-status"], style={"font-weight": "bold"})
        solara.Text(settings_line(model), classes=["ecosim-settings"], style={"font-size": "12px"})
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text(i18n.text("color_by"))
            solara.ToggleButtonsSingle(
                value=colour_by,
                on_value=set_colour_by,
                dense=True,
                children=[
                    solara.Button(i18n.text("by_lineage"), value="lineage", text=True, small=True),
                    solara.Button(i18n.text("by_stage"), value="stage", text=True, small=True),
                ],
            )
        _figure(figures.map_figure(sim, colour_by), FIGURE_CLASSES["map"])


def settings_line(model: ViewSession) -> str:
    """What this run was built with: file, seed, factor levels now, levers switched on."""
    sim = model.sim
    factors = " · ".join(
        f"{i18n.text('short_' + name)} {model.config.factors.at(name, sim.year):.2f}"
        for name in FACTOR_NAMES
    )
    levers = [name for name, lever in model.config.levers.items() if lever.enabled]
    on = ", ".join(levers) if levers else i18n.text("none")
    return (
        f"{model.scenario_file} · {i18n.text('seed')} {model.seed} · {factors} · "
        f"{i18n.text('levers_on')}: {on}"
    )


def region_panel(model: ViewSession) -> Any:
    """Map component for SolaraViz."""
    return RegionPanel(model)


def lineage_panel(model: ViewSession) -> None:
    """Family-tree component for SolaraViz."""
    _figure(figures.lineage_figure(model.sim), FIGURE_CLASSES["lineage"])


def founded_chart(model: ViewSession) -> None:
    """Startups founded per year by channel."""
    _figure(figures.founded_figure(model.sim), FIGURE_CLASSES["founded"])


def active_chart(model: ViewSession) -> None:
    """Active startups and firms."""
    _figure(figures.active_figure(model.sim), FIGURE_CLASSES["active"])


def exits_chart(model: ViewSession) -> None:
    """Exits and failures."""
    _figure(figures.exits_figure(model.sim), FIGURE_CLASSES["exits"])


def vc_chart(model: ViewSession) -> None:
    """VC invested per year."""
    _figure(figures.vc_figure(model.sim), FIGURE_CLASSES["vc"])


COMPONENTS = [region_panel, lineage_panel, founded_chart, active_chart, exits_chart, vc_chart]


def lever_label(name: str, defaults: PageDefaults) -> str:
    """The switch label of a GTB lever in the current language."""
    if i18n.language() == "ja" and name in LEVER_LABELS_JA:
        return LEVER_LABELS_JA[name]
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
        params[name] = Slider(i18n.text(name), round(defaults.factors[name], 2), 0.0, 1.0, 0.05)
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
        name: (spec.value if isinstance(spec, Slider) else spec["value"])
        for name, spec in params.items()
    }


def configure() -> tuple[PageDefaults, dict[str, Any]]:
    """Read the environment: language, starting scenario and seed."""
    language = os.environ.get(ENV_LANG, "en")
    i18n.set_language(language)
    if language == "ja":
        i18n.use_japanese_font_in_matplotlib()
    scenario = Path(os.environ.get(ENV_SCENARIO) or DEFAULT_SCENARIO)
    seed = int(os.environ.get(ENV_SEED, "42"))
    defaults = page_defaults(scenario, seed)
    ViewSession.defaults = defaults
    return defaults, model_params(defaults)


DEFAULTS, MODEL_PARAMS = configure()


@solara.component
def Page() -> Any:  # noqa: N802 (the name Solara looks for)
    """One browser session: its own run, Mesa's controls, the ecosim components."""
    model = solara.use_memo(lambda: ViewSession(**initial_values(MODEL_PARAMS)), [])
    return SolaraViz(
        model,
        components=COMPONENTS,
        model_params=MODEL_PARAMS,
        name=i18n.text("title"),
        play_interval=PLAY_INTERVAL_MS,
        render_interval=RENDER_INTERVAL_MONTHS,
    )
