"""`make bench`: generate databases at several sizes on SQLite and PostgreSQL, time every
feature against the bare SQL behind it, and write the "Scale" section of bench/README.md.

    python -m bench.run [--sizes 10000,100000] [--backends sqlite,postgresql] [--others]
    python -m bench.run --advocacy URL [--label after]   # an existing generated database

Each (backend, size) run writes bench/results/scale-<backend>-<n>.json; the README section
is assembled from every result file present, so runs can be done one at a time (the 1M
run takes longer) and other helpers' sections (Law, list/import, dashboard, briefs) are
left as they are — ``--others`` reruns their benches so they regenerate their own sections.
The PostgreSQL database (casebook_bench) is created fresh and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.readme_section import write_section
from bench.scale.machine import machine
from bench.scale.report import render

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results")
PG_ADMIN = os.environ.get(
    "CASEBOOK_BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_DB = "casebook_bench"
OTHERS = [
    ["-m", "bench.bench_law"],
    ["-m", "bench.incident_list", "--n", "100000"],
    ["-m", "bench.import_speed"],
    ["-m", "bench.bench_briefs", "--write-readme"],
]


def _pg_recreate(drop_only: bool = False) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        if not drop_only:
            conn.execute(text(f"CREATE DATABASE {PG_DB} ENCODING 'UTF8' TEMPLATE template0"))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"


def _pg_sync_sequences(url: str) -> None:
    """bench/generate.py inserts explicit ids; move each id sequence past them so the app's
    own inserts (the import bench) do not collide with generated rows."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for table in ("incident", "institution", "user"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                    f' (SELECT coalesce(max(id), 1) FROM "{table}"))'
                )
            )
    engine.dispose()


def _commit(root: Path = ROOT) -> str:
    """The commit measured, so that figures from different runs can be told apart."""
    run = lambda *a: subprocess.run(["git", *a], cwd=root, capture_output=True, text=True)  # noqa: E731
    head = run("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    # the figures this bench writes are not code: a run after another is not "+changes"
    dirty = run(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":!bench/results",
        ":!bench/README.md",
    ).stdout.strip()
    return head + ("+changes" if dirty else "")


def one_run(backend: str, n: int, tmp: Path) -> dict:
    """Generate, measure and clean up one database; returns the figures."""
    from bench.generate import BENCH_PASSWORD, BENCH_USER, generate
    from bench.scale.measure import measure_db

    url = _pg_recreate() if backend == "postgresql" else f"sqlite:///{tmp}/scale-{n}.db"
    try:
        started = time.perf_counter()
        generate(url, n, institutions=min(5000, max(800, n // 40)))
        if backend == "postgresql":
            _pg_sync_sequences(url)
        gen_s = time.perf_counter() - started
        print(f"{backend} {n}: generated in {gen_s:.1f} s", flush=True)
        figures = measure_db(url, BENCH_USER)
        pages = subprocess.run(
            [sys.executable, "-m", "bench.scale.pages", url, BENCH_USER, BENCH_PASSWORD],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        figures["pages"] = json.loads(pages.stdout.strip().splitlines()[-1])
    finally:
        from db.engine import engine_for

        engine_for(url).dispose()
        if backend == "postgresql":
            _pg_recreate(drop_only=True)
    return {
        "backend": backend,
        "n": n,
        "commit": _commit(),
        "generate_s": round(gen_s, 1),
        **figures,
    }


def advocacy_run(url: str, label: str) -> None:
    """Time the advocacy brief by filter on an existing generated database (the 1M ones
    take ten minutes each to generate) and add the run to that size's result file."""
    from bench.generate import BENCH_USER
    from bench.scale.measure import measure_advocacy

    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    figures = measure_advocacy(url, BENCH_USER)
    out = RESULTS / f"scale-{backend}-{figures['n']}.json"
    result = (
        json.loads(out.read_text()) if out.exists() else {"backend": backend, "n": figures["n"]}
    )
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    import casebook  # the checkout whose code was timed (a "before" run may use another)

    code = Path(casebook.__file__).resolve().parent.parent
    run = {"label": label, "commit": _commit(code), "when": when, **figures}
    result.setdefault("advocacy_runs", []).append(run)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(json.dumps(run, ensure_ascii=False), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--others", action="store_true", help="also rerun the other benches")
    parser.add_argument(
        "--advocacy",
        metavar="URL",
        help="only time the advocacy brief by filter on this generated database",
    )
    parser.add_argument("--label", default="", help="names an --advocacy run (e.g. before)")
    args = parser.parse_args()
    if args.advocacy:
        advocacy_run(args.advocacy, args.label)
        write_section("scale", render(sorted(RESULTS.glob("scale-*.json"))))
        return 0
    RESULTS.mkdir(exist_ok=True)
    info = machine(PG_ADMIN if "postgresql" in args.backends else None)
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            for backend in args.backends.split(","):
                result = one_run(backend, n, Path(tmp)) | {"machine": info}
                out = RESULTS / f"scale-{backend}-{n}.json"
                if out.exists():  # keep the --advocacy runs made on the earlier database
                    runs = json.loads(out.read_text()).get("advocacy_runs")
                    result |= {"advocacy_runs": runs} if runs else {}
                out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
                print(f"{backend} {n}: written {out.name}", flush=True)
    write_section("scale", render(sorted(RESULTS.glob("scale-*.json"))))
    if args.others:
        for cmd in OTHERS:
            subprocess.run([sys.executable, *cmd], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
