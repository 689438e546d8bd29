"""Render the "Scale" section of bench/README.md from bench/results/scale-*.json."""

from __future__ import annotations

import json
from pathlib import Path

INTRO = """## Scale

`make bench` (`python -m bench.run --sizes 10000,100000,1000000`; about an hour on two
cores, `make bench BENCH_SIZES=10000` for a quick check) generates a database per size
and backend with
`bench/generate.py` (fixed seed; Zipf-skewed institutions, most reports in the
August–October 2024 wave, Telegram dominant; rows go in with the summary triggers off,
then the cube is counted once and the triggers put back), then times each feature and
the bare SQL query behind it on the same database. *ratio* = app / floor: what
validation, permissions, the ORM and document building add to what the database must do.
Medians of 5 runs (3 for the dashboard and pages) after one warm-up. Page times are
AppTest reruns of a signed-in session (script + queries + element tree, no browser),
set against the floor of the query the page is built on; the law features have no SQL
floor because the knowledge base is loaded into memory once (their figures are the whole
cost). RSS is the peak of the process that ran all four pages. Briefs are built in memory in Korean
(the institution report for the institution with the most incidents; the advocacy brief
once with tables only and once with its charts rendered to PNG). Import: 1,000 new rows
from a CSV through `import_incidents` (validate all, then write in one transaction)
against a bare executemany of as many incident rows (rolled back)."""

FLOORS = {
    "list": "count(*) + newest 50 rows",
    "dashboard": "monthly counts from analytics_cube",
    "incident brief": "the incident row + its conducts",
    "advocacy brief (no charts)": "monthly counts from analytics_cube",
    "advocacy brief (charts as PNG)": "monthly counts from analytics_cube",
    "institution report (busiest)": "count + newest 200 of its incidents",
    "statute comparison memo": "none: the knowledge base is in memory",
    "import 1,000 rows": "executemany of 1,000 bare incident rows",
    "incidents page": "count(*) + newest 50 rows",
    "dashboard page": "monthly counts from analytics_cube",
    "law: applicable_law (one call)": "none: the knowledge base is in memory",
    "law: search_law": "none: the knowledge base is in memory",
    "law page": "none: the knowledge base is in memory",
    "briefs page": "none: the form and its outline, no document is built",
}


def _page(r: dict, key: str, floor_of: str | None) -> dict | None:
    """A page's AppTest time as a row, with the floor of the query it is built on."""
    app = r.get("pages", {}).get(key)
    if app is None:
        return None
    floor = r[floor_of]["floor_ms"] if floor_of else None
    return {"app_ms": app, "floor_ms": floor, "ratio": round(app / floor, 1) if floor else None}


def _law(r: dict, key: str) -> dict:
    return {"app_ms": r["law"][key], "floor_ms": None, "ratio": None}


def _rows(r: dict) -> list[tuple[str, dict]]:
    return [
        ("list", r["list"]),
        ("dashboard", r["dashboard"]),
        ("incident brief", r["briefs"]["incident"]),
        ("advocacy brief (no charts)", r["briefs"]["advocacy_no_charts"]),
        ("advocacy brief (charts as PNG)", r["briefs"].get("advocacy_charts")),
        ("institution report (busiest)", r["briefs"].get("institution")),
        ("statute comparison memo", r["briefs"].get("compare")),
        ("import 1,000 rows", r["import"]),
        ("incidents page", _page(r, "page_incidents_ms", "list")),
        ("dashboard page", _page(r, "page_dashboard_ms", "dashboard")),
        ("law: applicable_law (one call)", _law(r, "applicable_law_ms")),
        ("law: search_law", _law(r, "search_law_ms")),
        ("law page", _page(r, "page_law_ms", None)),
        ("briefs page", _page(r, "page_briefs_ms", None)),
    ]


ADVOCACY_INTRO = """### The advocacy brief by filter

`python -m bench.run --advocacy URL --label LABEL` times the advocacy brief on a database
generated as above (without generating it again): per filter, the median of 3 briefs
after one warm-up, split into collecting the data and the whole brief with the charts as
tables; with no filter also the whole brief with its charts rendered to PNG (kaleido),
once as the process's first render, which waits for Chromium to start ("Chromium cold";
measured from 2026-11-30 on), then with Chromium already started. Runs before
2026-11-30 had five charts; the sixth, the enforcement funnel, was added that day.
*before* runs are the code before the brief read
its figures from the summary cube (collect_advocacy aggregated the base tables), on the
same database in the same session. These runs are later than the full runs above, whose
advocacy rows they supersede for their code. The PostgreSQL server here runs with
autovacuum off, so its databases were `VACUUM (ANALYZE)`d before these runs (without
statistics its planner misjudges the date ranges). Load: the 1-minute load average at
the start and the end of the run."""


def _advocacy(results: list[dict]) -> list[str]:
    runs = [(r, run) for r in results for run in r.get("advocacy_runs", [])]
    if not runs:
        return []
    lines = [
        "",
        ADVOCACY_INTRO,
        "",
        "| backend | incidents | code | measured | load | filter | collect ms | "
        "brief, tables ms | brief, PNG charts ms | same, Chromium cold ms |",
        "|---|---:|---|---|---|---|---:|---:|---:|---:|",
    ]
    for r, run in sorted(runs, key=lambda rr: (rr[0]["backend"], rr[0]["n"], rr[1]["when"])):
        # a "before" run may time an exported tree that is no git checkout (commit unknown)
        known = run["commit"] != "unknown"
        code = f"{run['label']} ({run['commit']})" if run["label"] and known else run["label"]
        code = code or run["commit"]
        load = "–".join(str(x) for x in run["load"])
        for name, f in run["filters"].items():
            lines.append(
                f"| {r['backend']} | {r['n']:,} | {code} | {run['when']} | {load} | "
                f"{name} | {_fmt(f['collect_ms'])} | {_fmt(f['tables_ms'])} | "
                f"{_fmt(f.get('png_ms'))} | {_fmt(f.get('png_first_ms'))} |"
            )
    return lines


def _fmt(v: object) -> str:
    return "—" if v is None else f"{v:,}" if isinstance(v, int | float) else str(v)


def render(files: list[Path]) -> str:
    """Markdown for every result file: machine, generation time, figures and ratios."""
    results = [json.loads(f.read_text()) for f in files]
    if not results:
        return INTRO + "\n\nNo results yet: run `make bench`."
    m = dict(results[-1]["machine"])
    versions = [r["machine"]["postgresql"] for r in results if r["backend"] == "postgresql"]
    m["postgresql"] = versions[-1] if versions else "not used"
    lines = [
        INTRO,
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; "
        f"Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}. "
        f"Load average when measured: {', '.join(r['machine']['load'] for r in results)} "
        "(the machine is shared; figures are wall time).",
        "",
        "| backend | incidents | measure | app ms | floor ms | ratio | floor query |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    for r in sorted(results, key=lambda r: (r["backend"], r["n"])):
        for name, row in _rows(r):
            if row is None:  # a result file from before this measure existed
                continue
            lines.append(
                f"| {r['backend']} | {r['n']:,} | {name} | {_fmt(row['app_ms'])} | "
                f"{_fmt(row['floor_ms'])} | {_fmt(row['ratio'])} | {FLOORS[name]} |"
            )
    lines += [
        "",
        "| backend | incidents | commit | generate s | import rows/s | dashboard "
        "base-table scan ms | peak RSS MiB (pages) |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in sorted(results, key=lambda r: (r["backend"], r["n"])):
        cells = [
            r.get("commit", "—"),
            r["generate_s"],
            r["import"]["rows_per_s"],
            r["dashboard"]["base_table_scan_ms"],
            r["pages"]["max_rss_mib"],
        ]
        lines.append(f"| {r['backend']} | {r['n']:,} | " + " | ".join(map(_fmt, cells)) + " |")
    return "\n".join(lines + _advocacy(results))
