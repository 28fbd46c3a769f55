"""The synthetic practice generator behind `caseboard sample` and `sample_data/`.

One practice (practice_id ``sample``, plain numeric ids) is written in the messy
flavour; several (``p001``, ``p002``, ... with ids prefixed ``p001-``) in the plain
flavour, one practice at a time, so memory stays bounded whatever the count.
Each practice draws from its own ``random.Random`` seeded from the seed and the
practice's number: the same arguments always give byte-identical files.
"""

from __future__ import annotations

import gc
import multiprocessing
import random
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from caseboard.sample.practice import PracticeConfig, simulate
from caseboard.sample.writer import MESSY, PLAIN, ExportWriter, FileFormat, render

DEFAULT_END = date(2026, 10, 31)
DEFAULT_MONTHS = 36


@dataclass
class Summary:
    """What was written: rows per table and the practices."""

    practices: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def practice_configs(practices: int, months: int, seed: int, end: date) -> list[PracticeConfig]:
    """The configuration of every practice to generate, in output order."""
    start = _add_months(date(end.year, end.month, 1), -(months - 1))
    hire_default = _add_months(start, months // 2)
    if practices == 1:
        return [PracticeConfig("sample", "", f"{seed}:sample", start, end, hire_default)]
    configs = []
    for number in range(1, practices + 1):
        practice_id = f"p{number:03d}"
        meta = random.Random(f"{seed}:{practice_id}:config")
        hire = None
        if meta.random() < 0.8:
            hire = _add_months(start, meta.randint(months // 4, max(months // 4, months - 3)))
        configs.append(PracticeConfig(
            practice_id, f"{practice_id}-", f"{seed}:{practice_id}", start, end, hire,
            scale=round(meta.uniform(1.6, 4.0), 3), fee_factor=round(meta.uniform(0.9, 1.15), 3),
            named_team=False,
        ))
    return configs


def _render_one(job: tuple[PracticeConfig, dict[str, FileFormat], bool]) -> tuple[str, dict, dict]:
    cfg, formats, header = job
    # A practice is millions of small tuples and lists and no reference cycles: the cyclic
    # collector would only rescan them over and over (about a third of the CPU time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = simulate(cfg)
        counts = {table: len(getattr(rows, table)) for table in formats}
        return cfg.practice_id, render(rows, formats, header), counts
    finally:
        if collecting:
            gc.enable()


def generate(out: Path, practices: int = 1, months: int = DEFAULT_MONTHS, seed: int = 1,
             end: date = DEFAULT_END, jobs: int = 1) -> Summary:
    """Write the export for ``practices`` practices into ``out``; return the row counts."""
    if practices < 1 or months < 1:
        raise ValueError("practices and months must be at least 1")
    formats = MESSY if practices == 1 else PLAIN
    configs = practice_configs(practices, months, seed, end)
    job_list = [(cfg, formats, i == 0) for i, cfg in enumerate(configs)]
    summary = Summary()
    writer = ExportWriter(out, formats)
    try:
        for practice_id, texts, counts in _results(job_list, jobs):
            writer.append(texts)
            summary.practices.append(practice_id)
            for table, n in counts.items():
                summary.rows[table] = summary.rows.get(table, 0) + n
    finally:
        writer.close()
    return summary


def _results(job_list: list, jobs: int) -> Iterator[tuple[str, dict, dict]]:
    if jobs <= 1 or len(job_list) == 1:
        yield from map(_render_one, job_list)
        return
    # At most two practices per worker in flight, taken in order: memory stays bounded
    # even when writing is slower than generating. A worker that dies raises
    # BrokenProcessPool here instead of being replaced forever (multiprocessing.Pool).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        pending: deque = deque()
        for job in job_list:
            pending.append(pool.submit(_render_one, job))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
