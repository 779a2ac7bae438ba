"""Every label that ecosim shows a person, in English and Japanese: the browser view, the
reports and their tables.

``text(key)`` returns the label in the language chosen with :func:`set_language` (English by
default; :func:`using` sets it for a block). Japanese labels need a font with CJK glyphs:
:func:`japanese_font_path` finds the IPAexGothic font that ``matplotlib-fontja`` ships, so
figures and the page render on a machine without system CJK fonts (matplotlib uses the file
directly; the page serves it to the browser).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ecosim import metric_registry

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
    "medtech": {"en": "Device, diagnostics or service firm", "ja": "医療機器・診断・受託サービス企業"},
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
    "acquisition": {"en": "unit under its buyer", "ja": "買収後の事業部門"},
    "preexisting": {"en": "present at start", "ja": "初期から存在"},
    "closed_or_acquired": {"en": "closed or acquired", "ja": "閉鎖・買収済み"},
    "node_area_headcount": {
        "en": "node area: the firm's peak headcount",
        "ja": "円の面積：企業の最大従業員数",
    },
    "active_firms": {"en": "Active startups and firms", "ja": "活動中のスタートアップと企業"},
    "startups_active": {"en": "active startups", "ja": "活動中のスタートアップ"},
    "firms_active": {"en": "life-science firms", "ja": "ライフサイエンス企業"},
    "exits_failures": {"en": "Exits and failures (cumulative)", "ja": "イグジットと廃業（累計）"},
    "vc_invested": {
        "en": "VC invested per year (USD m, 2000 prices)",
        "ja": "年間VC投資額（百万米ドル、2000年価格）",
    },
    "lineage": {"en": "Family tree of the largest lineage", "ja": "最大の系譜の家系図"},
    "no_lineage": {"en": "no spinout lineage yet", "ja": "スピンアウトの系譜はまだありません"},
    "founded": {"en": "founded", "ja": "設立年"},
    "firm": {"en": "firm", "ja": "企業"},
    # "Generations" are those after the root firm (its spinouts are the first): lineage.Lineage.depth,
    # as the trees' "gen" rows, the run's summary and the experiments' tables count them.
    "lineage_size": {
        "en": "{firms} firms; generations after the root firm: {generations}",
        "ja": "{firms} 社・起点企業からの世代数 {generations}",
    },
    "lineage_of": {"en": "Lineage of {name}", "ja": "{name}の系譜"},
    "stage_seed": {"en": "seed", "ja": "シード"},
    "stage_early": {"en": "early", "ja": "アーリー"},
    "stage_clinical": {"en": "clinical", "ja": "臨床"},
    "stage_late": {"en": "late", "ja": "レイター"},
    "stage_public": {"en": "public", "ja": "上場"},
    "stage_large": {"en": "large company", "ja": "大企業"},
    "controls": {"en": "Controls", "ja": "操作"},
    "model_parameters": {"en": "Model parameters", "ja": "モデルのパラメータ"},
    "information_card": {"en": "Information", "ja": "情報"},
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
        "en": "{year} · {startups} active startups · {founded} firms founded · {lineages} lineages",
        "ja": "{year} · 活動中のスタートアップ {startups} 社 · 設立企業累計 {founded} 社 · 系譜 {lineages}",
    },
    # The map, the marks of history and the side-by-side view.
    "root_academic": {"en": "{institution} spinout, {year}", "ja": "{institution}発（{year}年）"},
    "root_other": {"en": "{origin}, {year}", "ja": "{origin}（{year}年）"},
    "mark_acquisition": {"en": "{acquirer} buys {target}", "ja": "{acquirer}が{target}を買収"},
    "mark_closure": {"en": "{target} closes", "ja": "{target}閉鎖"},
    "mark_listing": {"en": "{target} lists", "ja": "{target}上場"},
    "mark_product": {"en": "{target} product launch", "ja": "{target}製品発売"},
    "mark_source": {"en": "source: {value} ({date})", "ja": "出典：{value}（{date}）"},
    "firms_census": {"en": "firms in the source's area", "ja": "出典の集計範囲の企業数"},
    "organizations_census": {"en": "companies and organizations", "ja": "企業・団体数"},
    "hub_members": {"en": "hub members", "ja": "中核機関の会員数"},
    "difference_title": {"en": "{a} minus {b}", "ja": "{a} − {b}"},
    "history_marks": {"en": "history: {marks}", "ja": "出来事：{marks}"},
    "difference_founded": {"en": "startups founded so far", "ja": "累計設立数の差"},
    "difference_active": {"en": "active startups", "ja": "活動中スタートアップ数の差"},
    "speed": {"en": "Speed", "ja": "速度"},
    "speed_slow": {"en": "slow", "ja": "ゆっくり"},
    "speed_normal": {"en": "normal", "ja": "普通"},
    "speed_fast": {"en": "fast", "ja": "速く"},
    "step_year": {"en": "+1 year", "ja": "+1年"},
    "full_screen": {"en": "Full-screen map", "ja": "地図を全画面表示"},
    "leave_full_screen": {"en": "Back to the page", "ja": "元の画面に戻る"},
    "compare": {"en": "Side by side with", "ja": "並べて比較する相手"},
    "compare_off": {"en": "nothing (one run)", "ja": "なし（1つの実行）"},
    "compare_no_levers": {"en": "the same run without its levers", "ja": "同じ条件で施策なし"},
    "with_levers": {"en": "levers on", "ja": "施策あり"},
    "without_levers": {"en": "no levers", "ja": "施策なし"},
    "timeline_factor": {"en": "{label} × timeline", "ja": "{label}（推移×倍率）"},
    "timeline_note": {
        "en": "{label} follows the scenario's timeline ({timeline}); its slider scales the timeline (1.00: as written).",
        "ja": "{label}はシナリオの推移（{timeline}）に従う。スライダーは推移の倍率（1.00で記載どおり）。",
    },
    "timeline_short": {"en": "{value:.2f} (timeline ×{scale:.2f})", "ja": "{value:.2f}（推移×{scale:.2f}）"},
    # Units of metrics (each metric, with its labels, is declared in ecosim.metric_registry).
    "unit_firms": {"en": "firms", "ja": "社"},
    "unit_people": {"en": "people", "ja": "人"},
    "unit_sites": {"en": "sites", "ja": "拠点"},
    "unit_usd_m": {"en": "USD m, 2000 prices", "ja": "百万米ドル、2000年価格"},
    "unit_money": {"en": "{currency} m, {year} prices", "ja": "百万{currency}、{year}年価格"},
    "currency_USD": {"en": "USD", "ja": "米ドル"},
    "currency_JPY": {"en": "JPY", "ja": "円"},
    "currency_GBP": {"en": "GBP", "ja": "英ポンド"},
    "unit_share": {"en": "share", "ja": "比率"},
    "unit_count": {"en": "number", "ja": "件"},
    "unit_offices": {"en": "offices", "ja": "拠点"},
    "unit_members": {"en": "members", "ja": "会員"},
    "unit_organizations": {"en": "companies and organizations", "ja": "企業・団体"},
    "unit_month": {"en": "months", "ja": "か月"},
    "unit_year": {"en": "year", "ja": "年"},
    "unit_years": {"en": "years", "ja": "年"},
    "not_available": {"en": "n/a", "ja": "該当なし"},
    # Report tables: column headings and sheet names.
    "col_arm": {"en": "Arm", "ja": "アーム（施策の組合せ）"},
    "col_replication": {"en": "Replication", "ja": "反復"},
    "col_metric": {"en": "Metric", "ja": "指標"},
    "col_unit": {"en": "Unit", "ja": "単位"},
    "col_mean": {"en": "Mean", "ja": "平均"},
    "col_sd": {"en": "Standard deviation", "ja": "標準偏差"},
    "col_ci_low": {"en": "95% CI, low", "ja": "95%信頼区間 下限"},
    "col_ci_high": {"en": "95% CI, high", "ja": "95%信頼区間 上限"},
    "col_n": {"en": "Replications (n)", "ja": "反復数 (n)"},
    "col_baseline_mean": {"en": "Baseline mean", "ja": "ベースライン平均"},
    "col_arm_mean": {"en": "Arm mean", "ja": "アーム平均"},
    "col_difference": {"en": "Difference from the baseline", "ja": "ベースラインとの差"},
    "col_relative": {"en": "Relative change", "ja": "変化率"},
    "col_factor": {"en": "Lever or parameter", "ja": "施策・パラメータ"},
    "col_level": {"en": "Level", "ja": "水準"},
    "col_effect": {"en": "Effect", "ja": "効果"},
    "col_factor_a": {"en": "Lever A", "ja": "施策A"},
    "col_factor_b": {"en": "Lever B", "ja": "施策B"},
    "col_interaction": {"en": "Interaction (A with B on minus off)", "ja": "交互作用（Bあり−Bなし）"},
    "col_given": {"en": "Other lever", "ja": "条件とする施策"},
    "col_given_state": {"en": "Other lever is", "ja": "その施策の状態"},
    "col_parameter": {"en": "Parameter", "ja": "パラメータ"},
    "col_spearman": {"en": "Rank correlation (Spearman)", "ja": "順位相関（スピアマン）"},
    "col_item": {"en": "Item", "ja": "項目"},
    "col_value": {"en": "Value", "ja": "内容"},
    "state_off": {"en": "off", "ja": "なし"},
    "state_on": {"en": "on", "ja": "あり"},
    "sheet_about": {"en": "About", "ja": "概要"},
    "sheet_run_metrics": {"en": "Runs", "ja": "各試行"},
    "sheet_arm_summary": {"en": "Arms", "ja": "アーム別"},
    "sheet_vs_baseline": {"en": "vs baseline", "ja": "ベースライン比較"},
    "sheet_main_effects": {"en": "Main effects", "ja": "主効果"},
    "sheet_interactions": {"en": "Interactions", "ja": "交互作用"},
    "sheet_conditional_effects": {"en": "Conditional effects", "ja": "条件付き効果"},
    "sheet_sensitivity": {"en": "Sensitivity", "ja": "感度"},
    # Report text and figures.
    "report_title": {"en": "Sweep report: {name}", "ja": "スイープ実験レポート：{name}"},
    "report_design": {
        "en": "{arms} arms x {replications} replications, window {start}-{end}, baseline arm "
        "`{baseline}`; replication r of every arm shares its seed (common random numbers), so "
        "every difference below is paired run by run. Generated by `ecosim report` from the run "
        "files; the tables and figures beside this file hold every number.",
        "ja": "{arms}アーム × {replications}反復、集計期間 {start}〜{end}年、ベースラインは"
        "「{baseline}」。各アームの反復rは同じ乱数シードを共有する（共通乱数法）ため、以下の差はすべて"
        "試行ごとに対応をとった差である。`ecosim report` が試行ファイルから作成した。すべての数値は"
        "同じフォルダの表と図にある。",
    },
    "report_clipped": {
        "en": "The spec's window ends in {spec_end}; this sweep ran until {until}, so the window is "
        "clipped to {start}-{end}.",
        "ja": "仕様の集計期間は{spec_end}年までだが、このスイープは{until}年までの計算のため、"
        "集計期間を{start}〜{end}年に短縮した。",
    },
    "report_missing_runs": {
        "en": "Only {found:,} of the {planned:,} runs the design plans are in the sweep folder "
        "({missing:,} missing): the tables compare the runs found, so an arm may hold fewer "
        "replications than the design says. `ecosim sweep` with the same spec and folder runs "
        "the missing ones.",
        "ja": "計画された{planned:,}試行のうち、スイープのフォルダにあるのは{found:,}試行のみ"
        "（{missing:,}試行が欠けている）。表は見つかった試行だけを比較するため、反復数が計画より"
        "少ないアームがある。同じ仕様とフォルダで `ecosim sweep` を実行すると欠けた試行を計算する。",
    },
    "report_one_replication": {
        "en": "With one replication there is no interval: effects are shown without one (n/a).",
        "ja": "反復が1回のため信頼区間は求められない（該当なし）。",
    },
    "report_all_on": {
        "en": "All levers on vs the baseline ({arm})",
        "ja": "全施策実施とベースラインの比較（{arm}）",
    },
    "report_arm_vs": {"en": "{arm} vs the baseline", "ja": "{arm}とベースラインの比較"},
    "file_README_md": {"en": "this page", "ja": "このページ"},
    "report_arms_vs": {"en": "Each arm vs the baseline", "ja": "各アームとベースラインの比較"},
    "report_counts_note": {
        "en": 'Counts are over the window; "at the end" metrics at its last month; money in USD m at '
        "2000 prices{money}.",
        "ja": "件数は集計期間の合計、「期末」の指標は期間最後の月の値。金額は百万米ドル（2000年価格）{money}。",
    },
    "report_money_also": {"en": " and in {unit}", "ja": "と{unit}"},
    "report_main": {"en": "Main effect of each lever on {metric}", "ja": "各施策の主効果：{metric}"},
    "report_main_note": {
        "en": "Lever on minus off, averaged over the settings of the other levers.",
        "ja": "施策ありとなしの差を、他の施策のすべての組合せについて平均した値。",
    },
    "report_amplify": {
        "en": "Does {lever} amplify the others? ({metric})",
        "ja": "{lever}は他の施策を強めるか（{metric}）",
    },
    "report_effect_without": {"en": "effect without {lever}", "ja": "{lever}なしでの効果"},
    "report_effect_with": {"en": "effect with {lever}", "ja": "{lever}ありでの効果"},
    "report_sampled": {"en": "Sampled parameters and outcomes", "ja": "サンプリングしたパラメータと結果"},
    "report_sampled_note": {
        "en": "{samples} points of a Latin hypercube; each run's sampled values are columns of "
        "run_metrics.csv. Rank correlation of each outcome with each parameter over the runs:",
        "ja": "ラテン超方格の{samples}点。各試行のパラメータ値は run_metrics.csv の列にある。"
        "各パラメータと結果の順位相関：",
    },
    "report_robust": {
        "en": "The levers under uncertainty ({metric})",
        "ja": "不確実性の下での各施策（{metric}）",
    },
    "report_robust_note": {
        "en": "Each lever alone against no lever in {states} of {samples} sampled states of the world "
        "(the states where every run finished; the uncertain assumptions, uniform or log-uniform over "
        "their boxes: {parameters}), {replications} replications each; within a state every arm has "
        "the same seeds, states have their own. Effect: mean over the states with its 95% interval, "
        "and the 5%-95% range of single runs. P(first): the share of states in which the lever's "
        "mean effect over the replications is the largest (ties split; 90% Wilson interval over the "
        "states; it depends on the replications, noise pulls it toward even shares). Clear: the "
        "share of those firsts whose margin over the runner-up passes a t-test over the replications "
        "(Bonferroni over the rivals; n/a below 3 replications). The rows are in order of P(first): "
        "the sentence below says whether the two largest effects are told apart.",
        "ja": "{samples}通りにサンプリングした世界のうち全試行が完了した{states}通りそれぞれで、各施策を単独で"
        "施策なしと比較（不確実な前提は範囲内で一様または対数一様：{parameters}；各{replications}反復。"
        "同じ状態の中では乱数を共通化し、状態ごとに独立）。効果：状態平均と95%区間、単一試行の5%〜95%範囲。"
        "首位確率：反復平均の効果が最大となる状態の割合（同点は等分、状態についてのWilson 90%区間。"
        "反復数に依存し、ノイズは均等に近づける）。明確：首位のうち次点との差が反復についてのt検定"
        "（対立施策数でBonferroni補正、3反復未満は該当なし）を通る割合。行は首位確率の順。上位2施策の差が"
        "識別できるかは下の文を参照。",
    },
    "report_robust_posterior": {
        "en": "The fitted constants {constants} are drawn together from the posterior sample "
        "`{file}` (`ecosim posterior`), one particle a state, so their correlations come with them.",
        "ja": "推定した定数 {constants} は事後分布の標本 `{file}`（`ecosim posterior`）から状態ごとに"
        "1粒子ずつ同時に抽出（定数間の相関を保つ）。",
    },
    "report_reading": {"en": "In short, for a policy reader", "ja": "要点（政策担当者向け）"},
    "reading_raise": {
        "en": "**{metric}**: raised beyond the uncertainty, over the sampled states of the world "
        "taken together (95% intervals above zero), by {levers}.",
        "ja": "**{metric}**：{levers}は、サンプリングした世界全体で見て増やす（95%区間が0より上）。",
    },
    "reading_raise_none": {
        "en": "**{metric}**: no lever raises it beyond what the uncertainty leaves open.",
        "ja": "**{metric}**：不確実性を考えると、確かに増やす施策はない。",
    },
    "reading_lower": {
        "en": "Lowered (95% intervals below zero) by {levers}.",
        "ja": "{levers}は減らす（95%区間が0より下）。",
    },
    "reading_first": {
        "en": "Ranked first most often: {lever} ({share} of the states).",
        "ja": "首位になることが最も多いのは{lever}（状態の{share}）。",
    },
    "reading_order_yes": {
        "en": "The two largest mean effects ({first} and {second}) are told apart: {first} leads.",
        "ja": "平均効果が最大の{first}は、次点の{second}と区別できる。",
    },
    "reading_order_no": {
        "en": "The two largest mean effects ({first} and {second}) are not told apart with this budget.",
        "ja": "平均効果の上位2つ（{first}と{second}）は、この計算量では区別できない。",
    },
    "reading_prim_none": {
        "en": "No assumption explains which lever comes first.",
        "ja": "どの施策が首位になるかを説明する前提は見つからない。",
    },
    "reading_prim": {
        "en": "Where {lever} comes first: {box}.",
        "ja": "{lever}が首位になるのは主に{box}のとき。",
    },
    "reading_caveat": {
        "en": "Within the model and the ranges stated below: the intervals fold in the uncertain "
        "assumptions, the fitted constants and the model's own noise together.",
        "ja": "モデルと以下に示す範囲の中での結論：区間は不確実な前提、推定した定数、モデル自体のばらつきを"
        "合わせて含む。",
    },
    "sens_reading_factor": {
        "en": "**{metric}**: of the five elements, {factor} moves it most (mu* {mu}); {told}",
        "ja": "**{metric}**：5要素のうち最も大きく動かすのは{factor}（mu* {mu}）。{told}",
    },
    "sens_told_yes": {
        "en": "its effect is told apart from the seeds' noise.",
        "ja": "効果は乱数のばらつきと区別できる。",
    },
    "sens_told_no": {
        "en": "but not told apart from the seeds' noise with this budget.",
        "ja": "ただし、この計算量では乱数のばらつきと区別できない。",
    },
    "sens_lead_yes": {"en": "Its lead over {second} is established.", "ja": "次点の{second}との差は明確。"},
    "sens_lead_no": {
        "en": "Its lead over {second} is not established with this budget.",
        "ja": "次点の{second}との差は、この計算量では区別できない。",
    },
    "sens_top": {
        "en": "Of every uncertain parameter, `{name}` moves it most{clear}.",
        "ja": "不確実なパラメータ全体で最も大きく動かすのは`{name}`{clear}。",
    },
    "sens_top_clear": {"en": ", clear of the second", "ja": "（次点と区別できる）"},
    "sens_caveat": {
        "en": "Within the model and the ranges stated below (Morris screening, mu*: the mean change of "
        "the output over a whole range of a parameter).",
        "ja": "モデルと以下の範囲の中での結論（Morris法のmu*：パラメータを範囲全体で動かしたときの出力の平均変化）。",
    },
    "list_separator": {"en": ", ", "ja": "、"},
    "sentence_join": {"en": "{first} {second}", "ja": "{first}{second}"},
    "col_lever": {"en": "Lever", "ja": "施策"},
    "report_range": {"en": "{low} to {high}", "ja": "{low}〜{high}"},
    "col_effect_range": {"en": "5%-95% of runs", "ja": "試行の5%〜95%"},
    "col_first": {"en": "P(first) [90%]", "ja": "首位確率 [90%]"},
    "report_top_two": {
        "en": "The two largest mean effects, {first} minus {second}, paired within the {states} states: "
        "{difference}: {verdict}",
        "ja": "平均効果の上位2施策（{first} − {second}、{states}状態内で対応）：{difference}：{verdict}",
    },
    "report_order_established": {
        "en": "their order is established.",
        "ja": "順位は確立している。",
    },
    "report_order_not_established": {
        "en": "not distinguishable with this budget; their order is not established.",
        "ja": "この予算では識別できず、順位は確立していない。",
    },
    "report_prim_none": {
        "en": "No box with a significant restriction (quasi-p-value below 0.05, at least 5 states): "
        "no assumption explains which lever comes first.",
        "ja": "有意な制約（準p値0.05未満、5状態以上）を持つ範囲はない：どの前提もどの施策が首位になるかを説明しない。",
    },
    "col_clear": {"en": "clear", "ja": "明確"},
    "report_prim": {
        "en": "Under which assumptions the ranking changes (PRIM)",
        "ja": "順位が変わる前提（PRIM）",
    },
    "report_prim_note": {
        "en": "For each lever first in some states but not all: the box of assumptions in which it "
        "ranks first (PRIM; at most two assumptions, each kept only when its quasi-p-value is below "
        "0.05; coverage: the share of its firsts inside the box; density: the share of the box's "
        "states where it is first; both in-sample).",
        "ja": "一部の状態でのみ首位となる施策について、首位となる前提の範囲（PRIM。前提は2つまで、準p値0.05未満のみ。"
        "カバレッジ：首位のうち範囲内の割合、密度：範囲内で首位となる割合。いずれも標本内）。",
    },
    "report_prim_row": {
        "en": "{lever} first in {base} of the states; inside {box}: {density} of them (coverage {coverage})",
        "ja": "{lever}：全体の{base}で首位；{box}では{density}（カバレッジ{coverage}）",
    },
    "report_prim_missing": {
        "en": "PRIM boxes need EMA Workbench: `pip install 'ecosim[analysis]'`, then report again.",
        "ja": "PRIMの範囲にはEMA Workbenchが必要：`pip install 'ecosim[analysis]'` の後に再度レポートを作成。",
    },
    "fig_rank_first": {"en": "Probability that each lever ranks first", "ja": "各施策が首位となる確率"},
    "file_lever_effects_csv": {
        "en": "each lever's effect over the states of the world and the seeds",
        "ja": "状態と乱数にわたる各施策の効果",
    },
    "file_rank_first_csv": {"en": "the probability that each lever ranks first", "ja": "各施策の首位確率"},
    "file_rank_first_png": {"en": "the same as a figure", "ja": "同じ内容の図"},
    "file_top_two_csv": {
        "en": "the two levers with the largest mean effects, their paired difference and its interval",
        "ja": "平均効果の上位2施策とその対応差・区間",
    },
    "file_prim_boxes_csv": {
        "en": "the assumptions under which each lever ranks first (PRIM)",
        "ja": "各施策が首位となる前提（PRIM）",
    },
    "report_stated_money": {"en": "Amounts stated in other money", "ja": "他の通貨・年価格で指定した金額"},
    "report_ci_na": {"en": "{value} (95% CI n/a)", "ja": "{value}（95%信頼区間 該当なし）"},
    "report_files": {"en": "Files", "ja": "ファイル"},
    "report_ci": {"en": "{value} (95% CI {low} to {high})", "ja": "{value}（95%信頼区間 {low}〜{high}）"},
    "file_vs_baseline_csv": {
        "en": "each arm minus the baseline, paired by replication",
        "ja": "各アームとベースラインの差（反復ごとに対応）",
    },
    "file_vs_baseline_png": {
        "en": "the same as a figure (the arms with the largest effects)",
        "ja": "同じ内容の図（効果の大きいアーム）",
    },
    "file_main_effects_csv": {
        "en": "each lever on minus off, averaged over the others",
        "ja": "各施策の主効果",
    },
    "file_main_effects_png": {"en": "main effects as a figure", "ja": "主効果の図"},
    "file_interactions_csv": {"en": "two-way interactions of the levers", "ja": "施策の二元交互作用"},
    "file_interactions_png": {"en": "interactions as a heat map", "ja": "交互作用のヒートマップ"},
    "file_conditional_effects_csv": {
        "en": "each lever's effect with another off and on",
        "ja": "他の施策の有無別の効果",
    },
    "file_amplification_png": {
        "en": "does the first lever amplify the others",
        "ja": "最初の施策が他を強めるか",
    },
    "file_channels_png": {"en": "firms founded by channel", "ja": "設立経路別の企業数"},
    "file_founding_over_time_png": {
        "en": "startups founded over time, with 95% bands",
        "ja": "スタートアップ設立数の推移（95%帯）",
    },
    "file_sensitivity_csv": {
        "en": "rank correlation of outcomes with sampled parameters",
        "ja": "結果とパラメータの順位相関",
    },
    "file_sensitivity_png": {
        "en": "each outcome against each sampled parameter",
        "ja": "パラメータ別の結果の散布図",
    },
    "file_arm_summary_csv": {
        "en": "mean, sd and 95% CI of every metric in every arm",
        "ja": "各アーム・各指標の平均・標準偏差・95%信頼区間",
    },
    "file_run_metrics_csv": {"en": "one row per run", "ja": "試行ごとの指標"},
    "file_report_xlsx": {
        "en": "every table, one sheet each, labelled, with units",
        "ja": "すべての表（1表1シート、見出しと単位つき）",
    },
    "file_report_manifest_json": {
        "en": "spec, digests, seeds, run counts, versions, git commit",
        "ja": "仕様、ダイジェスト、シード、試行数、バージョン、gitコミット",
    },
    "fig_vs_baseline": {
        "en": "Each policy mix vs '{baseline}', paired by replication (mean and 95% CI; grey: not distinguishable from zero)",
        "ja": "各施策の組合せと「{baseline}」の差（反復ごとに対応、平均と95%信頼区間。灰色は0と区別できない）",
    },
    "fig_vs_baseline_arms": {
        "en": "Each arm vs '{baseline}', paired by replication (mean and 95% CI; grey: not distinguishable from zero)",
        "ja": "各アームと「{baseline}」の差（反復ごとに対応、平均と95%信頼区間。灰色は0と区別できない）",
    },
    "fig_baseline_mean": {"en": "baseline mean {value}", "ja": "ベースライン平均 {value}"},
    "fig_difference": {"en": "difference from the baseline ({unit})", "ja": "ベースラインとの差（{unit}）"},
    "fig_more_arms": {"en": "top {shown} of {total} arms", "ja": "{total}アーム中上位{shown}"},
    "fig_main_effects": {
        "en": "What each lever adds, averaged over the other levers (mean and 95% CI; grey: not distinguishable from zero)",
        "ja": "各施策の上乗せ効果（他の施策について平均、平均と95%信頼区間。灰色は0と区別できない）",
    },
    "fig_interactions": {
        "en": "Do levers reinforce each other? ({metric})\nred: together more than the sum; blue: less; * 95% CI excludes 0",
        "ja": "施策は互いに強め合うか（{metric}）\n赤：和より大きい、青：小さい、*：95%信頼区間が0を含まない",
    },
    "fig_interactions_bar": {"en": "extra {metric} when both are on", "ja": "両方ありでの追加の{metric}"},
    "with_unit": {"en": "{label} ({unit})", "ja": "{label}（{unit}）"},
    "fig_amplification": {
        "en": "Does {lever} amplify the other levers? (95% CI)",
        "ja": "{lever}は他の施策を強めるか（95%信頼区間）",
    },
    "fig_effect_on": {"en": "effect on {metric}", "ja": "{metric}への効果"},
    "fig_founding_over_time": {"en": "Startups founded over time", "ja": "スタートアップ設立数の推移"},
    "fig_founding_axis": {
        "en": "startups founded since the start (mean, 95% band)",
        "ja": "開始からの累計設立数（平均と95%帯）",
    },
    "fig_year": {"en": "year", "ja": "年"},
    "fig_arms_factorial": {
        "en": "{shown} of {total} arms: the baseline, each lever alone and all levers on (all in arm_summary.csv)",
        "ja": "{total}アーム中{shown}：ベースライン、各施策単独、全施策（全アームはarm_summary.csv）",
    },
    "fig_arms_first": {
        "en": "the first {shown} of {total} arms in the design, no room for more (all in arm_summary.csv)",
        "ja": "設計順で最初の{shown}アーム（全{total}アーム、全てはarm_summary.csv）",
    },
    "fig_channels_left": {
        "en": "Where new firms come from (relocations are not foundings)",
        "ja": "新しい企業はどこから来るか（移転は設立に含めない）",
    },
    "fig_channels_left_axis": {
        "en": "firms in the window (mean of replications)",
        "ja": "集計期間の企業数（反復平均）",
    },
    "fig_channels_right": {"en": "Which channels {arms} move", "ja": "{arms}が動かす経路"},
    # What a sweep's arms are, in a title (report.ArmNames.plural).
    "arms_levers": {"en": "the levers", "ja": "施策"},
    "arms_any": {"en": "the arms", "ja": "各アーム"},
    "fig_channels_right_axis": {
        "en": "change vs '{baseline}' (mean and 95% CI)",
        "ja": "「{baseline}」との差（平均と95%信頼区間）",
    },
    "fig_sensitivity": {
        "en": "Outcomes against the sampled parameters",
        "ja": "サンプリングしたパラメータと結果",
    },
    "all_levers_on": {"en": "all levers on", "ja": "全施策"},
    "baseline_arm": {"en": "baseline", "ja": "ベースライン"},
}
LABELS.update(metric_registry.labels())
"""The metrics' labels (``metric_<name>``) come from their declarations."""

ORIGIN_KEYS = {"pharma_site": "pharma"}
"""Label keys of the firm origins not labelled under their own name (agents.firm.Origin)."""

_language = "en"


def set_language(language: str) -> None:
    """Choose the language of every label ("en" or "ja")."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language


@contextmanager
def using(language: str) -> Iterator[None]:
    """Use ``language`` inside a ``with`` block, then the language before it again."""
    before = _language
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


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


def origin_label(origin: str) -> str:
    """The words of a firm origin ("spinout": "employee spinout") in the current language."""
    return text(ORIGIN_KEYS.get(origin, origin))


def root_origin(origin: str, institution: object, founded_year: float) -> str:
    """Where and when an unnamed firm at a lineage's root came from, as the browser view's map and
    the family trees label it ("UC San Diego spinout, 1984"; "employee spinout, 1990").

    Args:
        origin: the firm's origin (agents.firm.Origin's value).
        institution: the university of an academic spinout (anything else: none known).
        founded_year: the founding date in years (a January founding, summed from twelfths of a
            year, may fall just short of its year: hence the 1e-9).
    """
    year = math.floor(float(founded_year) + 1e-9)
    if origin == "academic" and isinstance(institution, str) and institution:
        return text("root_academic", institution=institution, year=year)
    return text("root_other", origin=origin_label(origin), year=year)


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
