"""`make bench`: caseboard's speed at group scale, measured side by side with the floor.

Steps (each measured in its own process, so wall time and peak memory are its own):
  generate     the N-practice x M-month export (cached under bench/data/ by its parameters)
  ingest       the floor (DuckDB CREATE TABLE AS SELECT * FROM read_csv, no validation),
               caseboard's validated typed deduplicated ingest, and pandas read_csv + insert
  incremental  a weekly export (every row dated in the last 90 days) into the loaded database
  pages        every dashboard page's data access, one practice and all practices
  precompute   the precomputed results store's rebuild alone (part of every load above),
               timed on a copy of the loaded database
  coldstart    `caseboard serve` to the weekly review drawn in Chromium, on the sample practice
Each figure is printed next to its target and its ratio to the floor, and the whole
run is written to bench/RESULTS.md with the machine's cores and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(1, str(ROOT))

from measure import Measured, run_measured, run_side  # noqa: E402

STEPS = ("generate", "ingest", "incremental", "pages", "precompute", "coldstart")
# precompute is inside every ingest and incremental load already; alone it is on request.
DEFAULT_STEPS = ("generate", "ingest", "incremental", "pages", "coldstart")
MB = 1.0
TARGETS = {
    "ingest_ratio": 2.0,
    "ingest_peak_mb_at_10m": 1536.0,
    "incremental_s": 5.0,
    "page_one_ms": 50.0,
    "page_all_ms": 300.0,
    "coldstart_s": 5.0,
}


class Report:
    """Collects figures (name, value, unit, target, ratio to floor, note) and raw results."""

    def __init__(self) -> None:
        self.figures: list[dict] = []
        self.raw: dict = {}
        self.notes: list[str] = []

    def figure(self, name: str, value: float | None, unit: str, target: float | None = None,
               floor_ratio: float | None = None, note: str = "", lower_is_better: bool = True,
               ratio_target: float | None = None) -> None:
        """Add one figure and print it at once."""
        met = None
        if value is not None and target is not None:
            met = value <= target if lower_is_better else value >= target
        if floor_ratio is not None and ratio_target is not None:
            within = floor_ratio <= ratio_target
            met = within if met is None else met and within
        row = {"name": name, "value": value, "unit": unit, "target": target,
               "floor_ratio": floor_ratio, "ratio_target": ratio_target, "met": met, "note": note}
        self.figures.append(row)
        print(format_row(row), flush=True)

    def note(self, text: str) -> None:
        """Add a note (printed and written to the results)."""
        self.notes.append(text)
        print(f"  note: {text}", flush=True)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ms":
        return f"{value:,.1f} ms"
    if unit == "s":
        return f"{value:,.2f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.2f} {unit}".strip()


def format_row(row: dict) -> str:
    """One printed line: name, value, target, ratio to the floor, verdict."""
    target = f"target {_fmt(row['target'], row['unit'])}" if row["target"] is not None else ""
    ratio = ""
    if row["floor_ratio"] is not None:
        ratio = f"{row['floor_ratio']:.2f}x floor"
        if row["ratio_target"] is not None:
            ratio += f" (target <= {row['ratio_target']:.1f}x)"
    verdict = {True: "MET", False: "MISSED", None: ""}[row["met"]]
    parts = [f"{row['name']:<44}", f"{_fmt(row['value'], row['unit']):>14}", f"{target:<22}",
             f"{ratio:<30}", verdict]
    line = "  ".join(parts).rstrip()
    return line + (f"  [{row['note']}]" if row["note"] else "")


def machine() -> dict:
    """Cores, memory, CPU model and library versions of this machine."""
    info = {"cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}
    try:
        info["cpu"] = next(line.split(":", 1)[1].strip()
                           for line in Path("/proc/cpuinfo").read_text().splitlines()
                           if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    try:
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        info["memory_gb"] = None
    info["load_average"] = os.getloadavg()
    try:
        import subprocess

        info["commit"] = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
            text=True, check=False).stdout.strip() or None
        info["dirty"] = bool(subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--",
             ".", ":!bench/RESULTS.md"], capture_output=True, text=True, check=False
        ).stdout.strip())
    except OSError:
        info["commit"], info["dirty"] = None, None
    if hasattr(os, "sched_getaffinity"):
        info["usable_cores"] = len(os.sched_getaffinity(0))
    import duckdb
    import polars

    info["duckdb"] = duckdb.__version__
    info["polars"] = polars.__version__
    try:
        import pandas

        info["pandas"] = pandas.__version__
    except ImportError:
        info["pandas"] = None
    return info


def generator_available() -> bool:
    """True when the project's own generator (`caseboard sample`) exists."""
    return (ROOT / "caseboard" / "commands" / "sample.py").exists()


def count_rows(data: Path) -> dict[str, int]:
    """Rows per table of an export folder (CSV data rows, all files of a table together)."""
    import polars as pl
    from sides import export_files

    counts = {}
    for table, paths in export_files(data).items():
        total = 0
        for path in paths:
            if path.suffix.lower() == ".parquet":
                total += pl.scan_parquet(path).select(pl.len()).collect().item()
            else:
                total += pl.scan_csv(path, infer_schema=False).select(pl.len()).collect().item()
        counts[table] = total
    return counts


def export_size_mb(data: Path) -> float:
    """Total size of the export's files in MB."""
    return sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 1e6


def ensure_export(args, report: Report) -> Path:
    """The N x M export, generated once and reused while its marker says it is complete."""
    use_project = args.generator == "caseboard" or (
        args.generator == "auto" and generator_available())
    name = f"{'sample' if use_project else 'synth'}-{args.practices}x{args.months}-s{args.seed}"
    data = args.data_dir / name
    marker = data / ".bench-complete.json"
    if marker.exists() and not args.regenerate:
        info = json.loads(marker.read_text())
        report.note(f"reused {data} (generated in {info['wall_s']:.1f} s, "
                    f"peak {info['peak_mb']:.0f} MB; --regenerate to time it again)")
    else:
        shutil.rmtree(data, ignore_errors=True)
        data.parent.mkdir(parents=True, exist_ok=True)
        if use_project:
            # one worker per usable core: the files are the same bytes whatever --jobs is
            cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count() or 1)
            cmd = [sys.executable, "-m", "caseboard.cli", "sample", "--practices",
                   str(args.practices), "--months", str(args.months), "--seed", str(args.seed),
                   "--jobs", str(cores), "--out", str(data)]
        else:
            cmd = [sys.executable, str(BENCH_DIR / "synth.py"), "--practices",
                   str(args.practices), "--months", str(args.months), "--out", str(data)]
        measured = run_measured(cmd, timeout_s=args.timeout)
        if measured.returncode != 0:
            raise SystemExit(f"generation failed ({' '.join(cmd)}):\n{measured.stderr}")
        info = {"wall_s": measured.wall_s, "cpu_s": measured.cpu_s, "peak_mb": measured.peak_mb,
                "command": cmd[1:]}
        marker.write_text(json.dumps(info))
    rows = count_rows(data)
    info.update(rows=rows, size_mb=round(export_size_mb(data), 1), generator=(
        "caseboard sample" if use_project else "bench/synth.py (stand-in: caseboard sample "
        "was not available)"), path=str(data))
    report.raw["export"] = info
    report.figure(f"generate {args.practices} practices x {args.months} months", info["wall_s"],
                  "s", note=f"{rows.get('procedures', 0):,} procedure rows, "
                  f"{info['size_mb']:,.0f} MB, peak {info['peak_mb']:,.0f} MB, {info['generator']}")
    return data


def ingest_args(args) -> list[str]:
    """--practice/--source for the caseboard side, when given."""
    extra = []
    if args.practice:
        extra += ["--practice", args.practice]
    if args.source:
        extra += ["--source", args.source]
    return extra


def _fresh(path: Path) -> Path:
    for suffix in ("", ".wal", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def step_ingest(args, data: Path, report: Report) -> Path | None:
    """Floor, caseboard and pandas ingest of the same files, side by side."""
    out = args.out_dir
    floor = run_side("floor", str(data), str(_fresh(out / "floor.duckdb")), timeout_s=args.timeout)
    ours = run_side("caseboard", str(data), str(_fresh(out / "caseboard.duckdb")),
                    *ingest_args(args), timeout_s=args.timeout)
    pandas = None
    if not args.no_pandas:
        pandas = run_side("pandas", str(data), str(_fresh(out / "pandas.duckdb")),
                          timeout_s=args.timeout)
    report.raw["ingest"] = {name: vars(m) for name, m in
                            (("floor", floor), ("caseboard", ours), ("pandas", pandas)) if m}
    procedures = report.raw.get("export", {}).get("rows", {}).get("procedures", 0)
    _side_figures(report, "floor (DuckDB read_csv, no validation)", floor, floor)
    _side_figures(report, "caseboard ingest (validated, typed, dedup)", ours, floor,
                  ratio_target=TARGETS["ingest_ratio"])
    if ours.ok and procedures:
        at_10m = ours.peak_mb
        report.figure("caseboard ingest peak memory", at_10m, "MB",
                      target=TARGETS["ingest_peak_mb_at_10m"] * max(procedures, 1) / 10_000_000
                      if args.scale_memory_target else TARGETS["ingest_peak_mb_at_10m"],
                      floor_ratio=ours.peak_mb / floor.peak_mb if floor.ok else None,
                      note=f"at {procedures:,} procedure rows; target is 1.5 GB at 10M")
    if ours.ok and floor.ok:
        _load_only_figure(report, "caseboard ingest, load only", ours, floor)
    if pandas is not None:
        _side_figures(report, "pandas read_csv + insert", pandas, floor)
    if floor.ok and ours.ok:
        _compare_rows(report, floor.output.get("rows", {}), ours.output)
    return out / "caseboard.duckdb" if ours.ok else None


def _phase_note(side: Measured) -> str:
    phases = side.output.get("phases", {})
    names = {"build_views": "views and materialized tables",
             "precompute_pages": "precomputed page results"}
    return "; ".join(f"{names.get(name, name)} {spent['wall_s']:,.1f} s wall, "
                     f"{spent['cpu_s']:,.1f} s CPU" for name, spent in phases.items())


def _load_only_figure(report: Report, label: str, side: Measured, floor: Measured) -> None:
    """The write minus its view rebuild and precompute: what the floor's CREATE TABLE matches."""
    phases = side.output.get("phases", {})
    wall = side.wall_s - sum(p["wall_s"] for p in phases.values())
    cpu = side.cpu_s - sum(p["cpu_s"] for p in phases.values())
    report.figure(f"{label} (read, validate, type, dedup, write): wall", wall, "s",
                  floor_ratio=wall / floor.wall_s, ratio_target=TARGETS["ingest_ratio"],
                  note=f"CPU {cpu:,.1f} s ({cpu / floor.cpu_s:.2f}x the floor's CPU); the rest "
                  f"of the ingest: {_phase_note(side)}")


def _side_figures(report: Report, label: str, side: Measured, floor: Measured,
                  ratio_target: float | None = None) -> None:
    if not side.ok:
        report.figure(f"{label}", None, "s", note=f"failed: {_last_line(side.stderr)}")
        return
    ratio = side.wall_s / floor.wall_s if floor.ok else None
    note = f"CPU {side.cpu_s:,.1f} s"
    if floor.ok and floor.cpu_s:
        note += f" ({side.cpu_s / floor.cpu_s:.2f}x the floor's CPU)"
    report.figure(f"{label}: wall", side.wall_s, "s", floor_ratio=ratio, ratio_target=ratio_target,
                  note=note)
    if label.startswith("floor") or label.startswith("pandas"):
        mem_ratio = side.peak_mb / floor.peak_mb if floor.ok else None
        report.figure(f"{label}: peak memory", side.peak_mb, "MB", floor_ratio=mem_ratio)


def _compare_rows(report: Report, floor_rows: dict, ours: dict) -> None:
    loaded = ours.get("rows") or {}
    for table, expected in sorted(floor_rows.items()):
        got = loaded.get(table)
        if got is not None and got != expected:
            report.note(f"{table}: the floor read {expected:,} rows, caseboard loaded {got:,} "
                        f"({ours.get('reject_count')} rejects in total)")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def step_incremental(args, data: Path, db: Path, report: Report) -> None:
    """A weekly export (last 90 days) into a copy of the loaded group database."""
    from weekly import make_weekly

    weekly = data.with_name(data.name + "-weekly90")
    marker = weekly / ".bench-complete.json"
    if not marker.exists() or args.regenerate:
        shutil.rmtree(weekly, ignore_errors=True)
        info = make_weekly(data, weekly, days=90)
        marker.write_text(json.dumps(info))
    info = json.loads(marker.read_text())
    target_db = _fresh(args.out_dir / "incremental.duckdb")
    shutil.copyfile(db, target_db)
    measured = run_side("caseboard", str(weekly), str(target_db), *ingest_args(args),
                        timeout_s=args.timeout)
    report.raw["incremental"] = {"weekly": info, "run": vars(measured),
                                 "db_mb": round(db.stat().st_size / 1e6, 1)}
    if not measured.ok:
        report.figure("incremental weekly load", None, "s",
                      note=f"failed: {_last_line(measured.stderr)}")
        return
    rows = info["rows"]
    report.figure("incremental weekly load (90-day overlap)", measured.wall_s, "s",
                  target=TARGETS["incremental_s"],
                  note=f"{rows.get('procedures', 0):,} procedure rows, "
                  f"{sum(rows.values()):,} rows in all, into a {db.stat().st_size / 1e6:,.0f} MB "
                  f"database; peak {measured.peak_mb:,.0f} MB; CPU {measured.cpu_s:,.1f} s; "
                  f"in-process {measured.output.get('inner_s')} s; of it "
                  f"{_phase_note(measured)}")


def first_practice(db: Path) -> str | None:
    """One practice id of the loaded database (the first in order)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.table("raw_patients").aggregate("min(practice_id)").fetchall()
    finally:
        con.close()
    return rows[0][0] if rows else None


def step_pages(args, db: Path, report: Report, label_suffix: str = "") -> None:
    """Every page's data access: one practice, then all practices."""
    if not (ROOT / "dashboard" / "app_pages").exists() or not any(
            (ROOT / "dashboard" / "app_pages").glob("*.py")):
        report.note("pages: dashboard/app_pages has no pages yet; skipped")
        return
    practice = args.page_practice or first_practice(db)
    results = {}
    for label, who, target in (("one practice", practice, TARGETS["page_one_ms"]),
                               ("all practices", "all", TARGETS["page_all_ms"])):
        cmd = [sys.executable, str(BENCH_DIR / "pages.py"), str(db), "--runs", str(args.runs),
               "--practice", str(who), "--min-runs", str(min(3, args.runs)),
               "--budget", str(args.page_budget), "--timeout", str(args.page_timeout)]
        if args.pages:
            cmd += ["--pages", args.pages]
        measured = run_measured(cmd, timeout_s=args.timeout)
        results[label] = vars(measured)
        if not measured.ok:
            report.figure(f"pages ({label}){label_suffix}", None, "ms",
                          note=f"failed: {_last_line(measured.stderr)}")
            continue
        for page, stats in measured.output["pages"].items():
            note = (f"p95 {stats['p95_ms']} ms, CPU median {stats.get('cpu_median_ms')} ms, "
                    f"{stats['calls']} loader calls, {stats.get('runs')} runs")
            if stats["errors"]:
                note += f"; page errors: {stats['errors'][0][:120]}"
            report.figure(f"page {page} ({label}){label_suffix}", stats["median_ms"], "ms",
                          target=target, note=note)
    report.raw["pages" + label_suffix] = results


def step_precompute(args, db: Path, report: Report) -> None:
    """The results store's rebuild on a copy of the loaded database (part of every load)."""
    measured = run_measured([sys.executable, str(BENCH_DIR / "precompute.py"), str(db)],
                            timeout_s=args.timeout)
    report.raw["precompute"] = vars(measured)
    if not measured.ok:
        report.figure("precompute at load time", None, "s",
                      note=f"failed: {_last_line(measured.stderr)}")
        return
    out = measured.output
    report.figure("precompute at load time (part of ingest and incremental)", out["seconds"],
                  "s", note=f"CPU {out['cpu_s']:,.1f} s; {out['entries']:,} view results for "
                  f"{out['scopes']} scopes (all practices and each practice), "
                  f"{out['stored_rows']:,} rows; peak {measured.peak_mb:,.0f} MB")


def sample_db(args) -> Path:
    """The sample practice's database (built from sample_data/ like `make run`)."""
    db = _fresh(args.out_dir / "sample.duckdb")
    measured = run_measured([sys.executable, "-m", "caseboard.cli", "ingest",
                             str(ROOT / "sample_data"), "--db", str(db), "--practice", "sample"],
                            timeout_s=args.timeout)
    if measured.returncode not in (0,):
        raise RuntimeError(f"sample ingest failed: {_last_line(measured.stderr)}")
    return db


def step_coldstart(args, report: Report) -> None:
    """`caseboard serve` to the weekly review drawn in Chromium."""
    try:
        db = sample_db(args)
    except RuntimeError as error:
        report.figure("cold start (serve to weekly review)", None, "s", note=str(error))
        return
    measured = run_measured([sys.executable, str(BENCH_DIR / "cold_start.py"), str(db),
                             "--runs", str(args.coldstart_runs)], timeout_s=args.timeout)
    report.raw["coldstart"] = vars(measured)
    if not measured.ok:
        report.figure("cold start (serve to weekly review)", None, "s",
                      note=f"failed: {_last_line(measured.stderr)}")
        return
    out = measured.output
    report.figure("cold start (serve to weekly review)", out["median_s"], "s",
                  target=TARGETS["coldstart_s"],
                  note=f"median of {len(out['runs'])}; runs {out['runs']}; "
                  f"server ready {out.get('server_ready_s')} s; drawn: {out.get('selector')}")


def _load(values) -> str:
    return "/".join(f"{v:.1f}" for v in values)


def write_results(path: Path, args, report: Report, info: dict, started: float) -> None:
    """bench/RESULTS.md: machine, data, every figure with its target and floor ratio."""
    export = report.raw.get("export", {})
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run.py`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"in {time.perf_counter() - started:,.0f} s.",
        "",
        "## Machine",
        f"- {info['cores']} cores ({info.get('usable_cores')} usable), "
        f"{info['memory_gb']} GB memory, {info['cpu']}",
        f"- caseboard at commit {info.get('commit')}"
        + (" (plus uncommitted work in the tree)" if info.get("dirty") else ""),
        f"- Python {info['python']}, DuckDB {info['duckdb']}, Polars {info['polars']}, "
        f"pandas {info['pandas']}; {info['platform']}",
        f"- load average (1, 5, 15 min) at the start {_load(info['load_average'])}, "
        f"at the end {_load(os.getloadavg())}: other work on the machine slows every "
        "figure; CPU seconds per side are in the notes",
        "",
        "## Data",
        f"- {args.practices} practices x {args.months} months from {export.get('generator')}; "
        f"{export.get('size_mb', 0):,.0f} MB of CSV",
        "- rows: " + ", ".join(f"{t} {n:,}" for t, n in sorted(export.get("rows", {}).items())),
        "",
        "## Figures",
        "",
        "| figure | value | target | vs floor | verdict | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in report.figures:
        target = _fmt(row["target"], row["unit"]) if row["target"] is not None else ""
        ratio = f"{row['floor_ratio']:.2f}x" if row["floor_ratio"] is not None else ""
        if row["ratio_target"] is not None:
            ratio += f" (<= {row['ratio_target']:.1f}x)"
        verdict = {True: "met", False: "**missed**", None: ""}[row["met"]]
        note = row["note"].replace("|", "/")
        lines.append(f"| {row['name']} | {_fmt(row['value'], row['unit'])} | {target} | "
                     f"{ratio} | {verdict} | {note} |")
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in report.notes]
    lines.append("")
    path.write_text("\n".join(lines))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options (defaults: the full 100 x 36 run of `make bench`)."""
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=100)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20, help="repetitions per page")
    parser.add_argument("--page-budget", type=float, default=5.0,
                        help="seconds of repetitions per page (at least 3 runs)")
    parser.add_argument("--page-timeout", type=float, default=300.0,
                        help="seconds one page may take to run in AppTest while recording")
    parser.add_argument("--coldstart-runs", type=int, default=3)
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS),
                        help=f"comma-separated subset of {','.join(STEPS)} "
                             f"(default {','.join(DEFAULT_STEPS)})")
    parser.add_argument("--generator", choices=["auto", "caseboard", "synth"], default="auto")
    parser.add_argument("--regenerate", action="store_true", help="generate the export again")
    parser.add_argument("--practice", help="--practice for caseboard's ingest")
    parser.add_argument("--source", help="--source for caseboard's ingest")
    parser.add_argument("--page-practice", help="the practice for one-practice page timings")
    parser.add_argument("--pages", help="only these pages (comma-separated module names)")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--scale-memory-target", action="store_true",
                        help="scale the 1.5 GB at 10M rows memory target to the rows generated")
    parser.add_argument("--data-dir", type=Path, default=BENCH_DIR / "data")
    parser.add_argument("--out-dir", type=Path, default=BENCH_DIR / "out")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="where to write the results ('-' for nowhere)")
    parser.add_argument("--json", type=Path, help="also write every raw result as JSON here "
                        "(default: OUT_DIR/results.json)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per child")
    parser.add_argument("--smoke", action="store_true",
                        help="2 practices x 2 months, 2 runs, no RESULTS.md")
    args = parser.parse_args(argv)
    args.data_dir, args.out_dir = args.data_dir.resolve(), args.out_dir.resolve()
    if args.json is None:
        args.json = args.out_dir / "results.json"
    if args.smoke:
        # Two practices: the generator's plain group flavour (one practice is the messy
        # sample, which the floor and pandas cannot read) and the sidebar's practice picker.
        args.practices, args.months, args.runs, args.coldstart_runs = 2, 2, 2, 1
        if args.results == BENCH_DIR / "RESULTS.md":
            args.results = Path("-")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the chosen steps; print each figure; write RESULTS.md."""
    started = time.perf_counter()
    args = parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        print(f"unknown steps: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    info = machine()
    report = Report()
    report.raw["machine"] = info
    print(f"caseboard bench: {info['cores']} cores, {info['memory_gb']} GB, {info['cpu']}",
          flush=True)
    data = db = None

    def save(final: bool = False) -> None:
        """Write RESULTS.md (after every step, so an interrupted run keeps what it measured)."""
        if str(args.results) != "-":
            if not final:
                report.notes.append("(partial: the run was still going when this was written)")
            write_results(args.results, args, report, info, started)
            if not final:
                report.notes.pop()

    if {"generate", "ingest", "incremental", "pages"} & set(steps):
        data = ensure_export(args, report)
    if "ingest" in steps:
        db = step_ingest(args, data, report)
        save()
    elif (args.out_dir / "caseboard.duckdb").exists():
        db = args.out_dir / "caseboard.duckdb"
    if "incremental" in steps:
        if db is None:
            report.note("incremental: no loaded database (the ingest step failed or was skipped)")
        else:
            step_incremental(args, data, db, report)
            save()
    if "pages" in steps:
        if db is None:
            report.note("pages: no loaded database (the ingest step failed or was skipped)")
        else:
            step_pages(args, db, report)
            save()
    if "precompute" in steps and db is not None:
        step_precompute(args, db, report)
        save()
    if "coldstart" in steps:
        step_coldstart(args, report)
    total = time.perf_counter() - started
    report.figure("make bench, end to end", total, "s", target=900.0)
    if str(args.results) != "-":
        save(final=True)
        print(f"wrote {args.results}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"figures": report.figures, "notes": report.notes,
                                         "raw": report.raw}, default=str, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
