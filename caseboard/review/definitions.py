"""docs/definitions.md, the user-facing page of metric definitions, generated from the registry.

``python -m caseboard.review.definitions`` rewrites the page; ``tests/review/test_definitions.py``
fails when the page and the registry disagree, so the words shown on the dashboard's help
popovers and the page in the repository are the same words.
"""

from __future__ import annotations

import sys
from pathlib import Path

from caseboard.review.format import count
from caseboard.review.registry import METRICS, SPEC, Metric
from caseboard.settings import (
    ACTIVE_MONTHS,
    RANGE_MONTHS,
    RANGE_WEEKS,
    READY_ACTIVE_PATIENTS,
    READY_NEW_PATIENTS,
    ROOT,
    WINDOW_DAYS,
)

PAGE = ROOT / "docs" / "definitions.md"
KINDS = {"money": "dollars", "percent": "percent", "count": "count"}


def _entry(metric: Metric) -> list[str]:
    better = "higher" if metric.higher_is_better else "lower"
    lines = [f"### {metric.label}", "", metric.definition, "",
             f"- Shown in: {KINDS[metric.kind]}; {better} is better.",
             f"- Key: `{metric.key}`."]
    if metric.view is not None and metric.columns:
        columns = " + ".join(f"`{column}`" for column in metric.columns)
        lines.append(f"- Comes from: view `{metric.view}`, column {columns}"
                     + (" (summed)." if len(metric.columns) > 1 else "."))
    elif metric.view is not None:
        lines.append(f"- Comes from: view `{metric.view}`.")
    else:
        lines.append(f"- Computed by: {metric.computed}.")
    if metric.pooled is not None:
        lines.append(f"- Over several months or weeks: {metric.pooled.formula} (pooled, never "
                     "an average of rates).")
    return [*lines, ""]


def markdown() -> str:
    """The whole page, grouped by the section of spec/metrics.md that defines each metric."""
    lines = [
        "# Metric definitions",
        "",
        "<!-- Generated from caseboard/review/registry.py by "
        "`python -m caseboard.review.definitions`; do not edit by hand. -->",
        "",
        "What every number on the dashboard, in the weekly report and in "
        "`caseboard metrics --json` means. The same words appear in the dashboard's help "
        "popovers. The exact rules are in the product's metric specification "
        "(`spec/metrics.md`); the sections below follow its numbering.",
        "",
        "Defaults (each can be changed, see `caseboard/settings.py`): acceptance window "
        f"{WINDOW_DAYS} days (`CASEBOARD_WINDOW_DAYS`), active-patient lookback "
        f"{ACTIVE_MONTHS} months (`CASEBOARD_ACTIVE_MONTHS`), coordinator readiness at "
        f"{count(READY_ACTIVE_PATIENTS)} active patients (`CASEBOARD_READY_ACTIVE`) and "
        f"{READY_NEW_PATIENTS} new patients a month (`CASEBOARD_READY_NEW`). Pages show the "
        f"{RANGE_MONTHS} months and the {RANGE_WEEKS} weeks ending with the as-of date "
        "(the newest date in the loaded data) unless you pick others.",
        "",
    ]
    for section in SPEC.values():
        entries = [metric for metric in METRICS.values() if metric.spec == section]
        if not entries:
            continue
        lines += [f"## {section}", ""]
        for metric in entries:
            lines += _entry(metric)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write docs/definitions.md (or the given path) from the registry."""
    target = Path(argv[0]) if argv else PAGE
    target.write_text(markdown())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
