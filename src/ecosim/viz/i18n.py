"""Every label of the browser view, in English and Japanese.

``text(key)`` returns the label in the language chosen with :func:`set_language` (English by
default). Japanese labels need a font with CJK glyphs: :func:`japanese_font_path` finds the
IPAexGothic font that ``matplotlib-fontja`` ships, so the view renders on a machine without
system CJK fonts (matplotlib uses the file directly; the page serves it to the browser).
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("en", "ja")

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "ecosim: how a bio-community forms", "ja": "ecosim：バイオコミュニティ形成"},
    "scenario": {"en": "Scenario", "ja": "シナリオ"},
    "seed": {"en": "Random seed", "ja": "乱数シード"},
    "hub_leadership": {"en": "1 Hub leadership", "ja": "1 中核機関のリーダーシップ"},
    "diverse_players": {"en": "2 Diverse players", "ja": "2 多様なプレイヤーの誘致"},
    "cross_disciplinary_fusion": {
        "en": "3 Cross-disciplinary fusion",
        "ja": "3 異分野融合の仕組み",
    },
    "focused_projects": {"en": "4 Focused projects", "ja": "4 継続的・重点的なプロジェクト"},
    "information": {"en": "5 Information", "ja": "5 国内外への情報発信"},
    "short_hub_leadership": {"en": "hub", "ja": "中核"},
    "short_diverse_players": {"en": "players", "ja": "多様性"},
    "short_cross_disciplinary_fusion": {"en": "fusion", "ja": "融合"},
    "short_focused_projects": {"en": "projects", "ja": "プロジェクト"},
    "short_information": {"en": "information", "ja": "情報発信"},
    "levers_on": {"en": "levers on", "ja": "実施中の施策"},
    "none": {"en": "none", "ja": "なし"},
    "lever": {"en": "GTB lever", "ja": "GTB施策"},
    "year": {"en": "Year", "ja": "年"},
    "map": {"en": "Region map", "ja": "地域マップ"},
    "km_east": {"en": "km east", "ja": "東へ (km)"},
    "km_north": {"en": "km north", "ja": "北へ (km)"},
    "university": {"en": "University", "ja": "大学"},
    "research_institute": {"en": "Research institute", "ja": "研究機関"},
    "hospital": {"en": "Hospital", "ja": "病院"},
    "hub": {"en": "Hub organization", "ja": "中核機関"},
    "hub_reach": {"en": "Hub reach", "ja": "中核機関の到達範囲"},
    "incubator": {"en": "Incubator / shared lab", "ja": "インキュベーター・共用ラボ"},
    "pharma": {"en": "Pharma site", "ja": "製薬企業の拠点"},
    "branch": {"en": "Branch of an outside company", "ja": "域外企業の拠点"},
    "vc": {"en": "Venture capital", "ja": "ベンチャーキャピタル"},
    "startup": {"en": "Startup", "ja": "スタートアップ"},
    "startups": {"en": "Startups", "ja": "スタートアップ"},
    "color_by": {"en": "Startup colour", "ja": "スタートアップの色分け"},
    "by_lineage": {"en": "by lineage", "ja": "系譜別"},
    "by_stage": {"en": "by stage", "ja": "ステージ別"},
    "other_lineages": {"en": "other lineages", "ja": "その他の系譜"},
    "founded_per_year": {"en": "Startups founded per year", "ja": "年間の起業数"},
    "academic": {"en": "academic spinout", "ja": "大学発"},
    "spinout": {"en": "employee spinout", "ja": "従業員スピンアウト"},
    "release": {"en": "talent release", "ja": "人材放出"},
    "relocation": {"en": "moved in from outside", "ja": "域外からの移転"},
    "anchor": {"en": "anchor firm", "ja": "アンカー企業"},
    "preexisting": {"en": "present at start", "ja": "初期から存在"},
    "active_firms": {"en": "Active startups and firms", "ja": "活動中のスタートアップと企業"},
    "startups_active": {"en": "active startups", "ja": "活動中のスタートアップ"},
    "firms_active": {"en": "life-science firms", "ja": "ライフサイエンス企業"},
    "exits_failures": {"en": "Exits and failures (cumulative)", "ja": "イグジットと廃業（累計）"},
    "exits_acquired": {"en": "acquisitions", "ja": "買収"},
    "exits_ipo": {"en": "IPOs", "ja": "新規株式公開"},
    "failures": {"en": "failures", "ja": "廃業"},
    "vc_invested": {"en": "VC invested per year (USD m)", "ja": "年間VC投資額（百万米ドル）"},
    "lineage": {"en": "Family tree of the largest lineage", "ja": "最大の系譜の家系図"},
    "no_lineage": {"en": "no spinout lineage yet", "ja": "スピンアウトの系譜はまだありません"},
    "founded": {"en": "founded", "ja": "設立年"},
    "firm": {"en": "firm", "ja": "企業"},
    "lineage_size": {
        "en": "{firms} firms, {generations} generations",
        "ja": "{firms} 社・{generations} 世代",
    },
    "stage_seed": {"en": "seed", "ja": "シード"},
    "stage_early": {"en": "early", "ja": "アーリー"},
    "stage_clinical": {"en": "clinical", "ja": "臨床"},
    "stage_late": {"en": "late", "ja": "レイター"},
    "stage_public": {"en": "public", "ja": "上場"},
    "stage_large": {"en": "large company", "ja": "大企業"},
    "controls": {"en": "Controls", "ja": "操作"},
    "model_parameters": {"en": "Model parameters", "ja": "モデルのパラメータ"},
    "information_card": {"en": "Information", "ja": "情報"},
    "play_interval": {"en": "Pause between frames (ms)", "ja": "コマ間の待ち時間（ミリ秒）"},
    "months_per_step": {"en": "Months per Step", "ja": "1ステップで進む月数"},
    "months_per_frame": {"en": "Months per frame in Play", "ja": "再生中の1コマで進む月数"},
    "reset": {"en": "Reset", "ja": "リセット"},
    "step": {"en": "Step", "ja": "ステップ"},
    "play": {"en": "▶ Play", "ja": "▶ 再生"},
    "pause": {"en": "❚❚ Pause", "ja": "❚❚ 一時停止"},
    "apply_hint": {
        "en": "Change a setting, then press Reset to rebuild the run with it.",
        "ja": "設定を変えたら「リセット」で新しい条件のシミュレーションを作り直します。",
    },
    "levers_title": {"en": "GTB levers", "ja": "GTB施策"},
    "no_levers": {
        "en": "{file} has no GTB levers; these switches act only in {files}.",
        "ja": "{file} にはGTB施策がありません。スイッチは {files} でのみ使えます。",
    },
    "run_progress": {
        "en": "{month} of {months} months simulated ({start}-{end})",
        "ja": "{months}か月中 {month}か月を計算済み（{start}〜{end}年）",
    },
    "run_finished": {"en": "The run has reached its end year.", "ja": "最終年に達しました。"},
    "reset_error": {"en": "Cannot build the run: {error}", "ja": "シミュレーションを作成できません：{error}"},
    "status": {
        "en": "{year} · {startups} active startups · {founded} founded · {lineages} lineages",
        "ja": "{year} · 活動中のスタートアップ {startups} 社 · 設立累計 {founded} 社 · 系譜 {lineages}",
    },
}

_language = "en"


def set_language(language: str) -> None:
    """Choose the language of every label ("en" or "ja")."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language


def language() -> str:
    """The language in use."""
    return _language


def text(key: str, **values: object) -> str:
    """The label ``key`` in the current language, formatted with ``values``.

    An unknown key falls back to the key itself with underscores as spaces, so a new stage or
    channel in the model still shows up (untranslated) instead of breaking the page.
    """
    entry = LABELS.get(key)
    label = key.replace("_", " ") if entry is None else entry.get(_language) or entry["en"]
    return label.format(**values) if values else label


def japanese_font_path() -> Path:
    """The IPAexGothic TrueType file shipped by the ``matplotlib-fontja`` package."""
    import matplotlib_fontja

    return Path(matplotlib_fontja.get_font_ttf_path())


def use_japanese_font_in_matplotlib() -> str:
    """Register the packaged Japanese font with matplotlib and make it the default family.

    Returns:
        The font family name, for the browser's CSS too.
    """
    from matplotlib import font_manager, rcParams

    path = japanese_font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    rcParams["font.family"] = [family, "DejaVu Sans"]
    return family
