"""'What changed' in plain words, from two weeks of view results (pure functions)."""

from __future__ import annotations

import polars as pl

from caseboard.review.format import count, money, percent, points_delta
from caseboard.review.registry import METRICS

CATEGORY_WORDS = {
    "D0": "diagnostic work", "D1": "preventive work", "D2": "restorative work",
    "D3": "endodontics", "D4": "periodontics", "D5": "removable prosthodontics",
    "D6": "implants and fixed prosthodontics", "D7": "oral surgery",
    "D8": "orthodontics", "D9": "adjunctive services",
}

# Weekly figures compared in the list, in the order they are read out when equally large.
COMPARED = [
    "diagnosed_amount", "accepted_amount", "rate_amount", "gross_production",
    "collections", "new_patients", "ar_91_plus", "claims_over_30",
]

MIN_RELATIVE_CHANGE = 0.05


def category_words(category: str | None) -> str:
    """Plain words for a procedure category such as 'D2' or 'D2 restorative'."""
    if not category:
        return "uncategorised treatment"
    code = category.strip()[:2].upper()
    if code in CATEGORY_WORDS and category.strip()[1:2].isdigit():
        return CATEGORY_WORDS[code]
    return f"{category.strip().lower()} treatment"


def _verb(delta: float) -> str:
    """'rose by' / 'fell by': 'fell by 5 to 9' cannot be read as 'from 5 to 9'."""
    return "rose by" if delta > 0 else "fell by"


def main_contributor(
    this: pl.DataFrame, last: pl.DataFrame
) -> tuple[str, str | None, float] | None:
    """The (category, provider name, change) cell that moved unscheduled dollars most.

    Frames have columns category, provider_name, amount (metric_unscheduled_breakdown)
    read at two dates; a cell missing on one side counts as zero there.
    """
    keys = ["category", "provider_name"]
    now = this.group_by(keys).agg(pl.col("amount").cast(pl.Float64).sum().alias("now"))
    before = last.group_by(keys).agg(pl.col("amount").cast(pl.Float64).sum().alias("before"))
    joined = now.join(before, on=keys, how="full", coalesce=True, nulls_equal=True).with_columns(
        (pl.col("now").fill_null(0) - pl.col("before").fill_null(0)).alias("delta")
    )
    if joined.height == 0:
        return None
    top = joined.sort(pl.col("delta").abs(), descending=True).row(0, named=True)
    if top["delta"] == 0:
        return None
    return top["category"], top["provider_name"], float(top["delta"])


def unscheduled_sentence(
    now: float, before: float, this: pl.DataFrame | None = None, last: pl.DataFrame | None = None
) -> str | None:
    """'Unscheduled treatment rose by $12,400 to $27,400, mostly restorative treatment diagnosed
    by Dr. Lee.'"""
    delta = now - before
    if round(delta) == 0:
        return None
    sentence = f"Unscheduled treatment {_verb(delta)} {money(abs(delta))} to {money(now)}"
    if this is not None and last is not None:
        top = main_contributor(this, last)
        if top is not None and (top[2] > 0) == (delta > 0) and abs(top[2]) >= abs(delta) / 2:
            category, provider, _ = top
            who = f" diagnosed by {provider}" if provider else ""
            sentence += f", mostly {category_words(category)}{who}"
    return sentence + "."


def metric_sentence(key: str, now: float | None, before: float | None) -> tuple[float, str] | None:
    """One plain sentence for a changed weekly figure, with its size for ordering; None if minor."""
    if now is None or before is None:
        return None
    item = METRICS[key]
    delta = float(now) - float(before)
    if item.kind == "percent":
        if abs(delta) < 0.01:
            return None
        points = points_delta(abs(delta)).lstrip("+").replace("pts", "points")
        text = f"{item.label} {_verb(delta)} {points} to {percent(now)}."
        return abs(delta), text
    if round(delta) == 0:
        return None
    relative = abs(delta) / abs(before) if before else 1.0
    if relative < MIN_RELATIVE_CHANGE:
        return None
    shown = money(abs(delta)) if item.kind == "money" else count(round(abs(delta)))
    now_shown = money(now) if item.kind == "money" else count(round(float(now)))
    text = f"{item.label} {_verb(delta)} {shown} to {now_shown} (last week {item.format(before)})."
    return relative, text


def what_changed(
    this_week: dict[str, float | None],
    last_week: dict[str, float | None],
    unscheduled_this: pl.DataFrame | None = None,
    unscheduled_last: pl.DataFrame | None = None,
    limit: int = 6,
) -> list[str]:
    """Plain sentences on what moved between two weeks, biggest relative moves first.

    ``this_week``/``last_week`` map registry keys (COMPARED plus 'unscheduled_amount')
    to values; the unscheduled breakdown frames name the main contributor.
    """
    lines: list[str] = []
    unscheduled = unscheduled_sentence(
        float(this_week.get("unscheduled_amount") or 0),
        float(last_week.get("unscheduled_amount") or 0),
        unscheduled_this,
        unscheduled_last,
    )
    if unscheduled:
        lines.append(unscheduled)
    ranked = [
        found
        for key in COMPARED
        if (found := metric_sentence(key, this_week.get(key), last_week.get(key))) is not None
    ]
    ranked.sort(key=lambda item: item[0], reverse=True)
    lines.extend(text for _, text in ranked)
    return lines[:limit]
