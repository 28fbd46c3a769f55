"""Pure chart builders: a Polars frame in, a Plotly figure out (no Streamlit, no SQL).

Money axes carry a $ prefix, rates are percentages, and periods that are not
mature yet (their acceptance window has not passed) are drawn lighter and
dashed and labelled "provisional", never as a drop.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from caseboard.review.format import count, fmt, money, month, percent, week_label

BLUE = "#1f5f99"
LIGHT_BLUE = "#9dbfdf"
GREEN = "#2e8b57"
LIGHT_GREEN = "#a8d5b9"
ORANGE = "#d9822b"
GREY = "#8a8f98"
RED = "#c0392b"
PROVISIONAL = "provisional"
MONEY_AXIS = {"tickformat": "$,.0f"}
RATE_AXIS = {"tickformat": ".0%", "rangemode": "tozero"}


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "y": 0.98, "yanchor": "top", "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        # above the plot: below it, the legend sat on turned month labels
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        plot_bgcolor="white",
        hovermode="x unified",
    )
    fig.update_xaxes(showgrid=False, automargin=True)
    fig.update_yaxes(gridcolor="#eceff3", automargin=True)
    _period_ticks(fig)
    return fig


def _period_ticks(fig: go.Figure) -> None:
    """Month and week labels that never run into each other, even in a half-width chart.

    Plotly's automatic 30 degree turn left 12 months overlapping at half width: at 45
    degrees two labels 28 px apart are 20 px apart across, more than a 12 px line; past 13
    periods only every other (or third) label is written, the newest always.
    """
    first = fig.data[0] if fig.data else None
    if first is None or getattr(first, "orientation", None) == "h" or first.x is None:
        return
    labels = list(first.x)
    if len(labels) <= 6 or not all(isinstance(v, str) for v in labels):
        return
    step = 1 if len(labels) <= 13 else 2 if len(labels) <= 26 else 3
    shown = labels[::-1][::step][::-1]
    fig.update_xaxes(tickangle=-45, tickmode="array", tickvals=shown, ticktext=shown)


NOTHING = "Nothing in this range"


def _nothing(*columns: list[float | None]) -> bool:
    """True when every value is missing or zero (an almost empty practice): say so instead
    of drawing bare axes."""
    return not any(v for column in columns for v in column)


def _reference_line(fig: go.Figure, y: float, name: str, color: str) -> None:
    """A dashed reference line named in the legend (a label on the line hides the data)."""
    fig.add_hline(y=y, line_dash="dash", line_color=color)
    fig.add_scatter(x=[None], y=[None], mode="lines", name=name, hoverinfo="skip",
                    line={"color": color, "dash": "dash"})


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 14, "color": GREY})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=240)


def _floats(frame: pl.DataFrame, column: str) -> list[float | None]:
    return [None if v is None else float(v) for v in frame[column].to_list()]


def period_labels(frame: pl.DataFrame, period: str) -> list[str]:
    """Axis labels: 'Jan 2026' for months, 'Jan 5' for weeks (by their Monday)."""
    label = month if period == "month" else week_label
    return [label(d) for d in frame[period].to_list()]


def provisional_flags(frame: pl.DataFrame) -> list[bool]:
    """True for each period that is not mature yet (missing 'mature' = all mature)."""
    if "mature" not in frame.columns:
        return [False] * frame.height
    return [not bool(m) for m in frame["mature"].to_list()]


def acceptance_trend_chart(frame: pl.DataFrame, period: str = "month",
                           measure: str = "amount") -> go.Figure:
    """Diagnosed vs accepted bars per period and the acceptance rate; immature periods light."""
    title = "Case acceptance by " + ("fees" if measure == "amount" else "procedure count")
    if frame.height == 0:
        return _empty(title, "No diagnosed treatment in this range")
    labels = period_labels(frame, period)
    flags = provisional_flags(frame)
    diagnosed = _floats(frame, f"diagnosed_{measure}")
    accepted = _floats(frame, f"accepted_{measure}")
    rate = _floats(frame, f"rate_{measure}")
    if _nothing(diagnosed, accepted):
        return _empty(title, NOTHING)
    tag = [PROVISIONAL if f else "" for f in flags]
    # the bar label only where there is a bar to label: on an empty week they piled up
    label = [t if a else "" for t, a in zip(tag, accepted, strict=True)]
    fig = go.Figure()
    # Diagnosed is final once the period ends; what is provisional is how much of it is
    # accepted (the window has not passed), so only the accepted bar says so.
    fig.add_bar(x=labels, y=diagnosed, name="Diagnosed",
                marker={"color": [LIGHT_BLUE if f else BLUE for f in flags]},
                hovertemplate="%{y:$,.0f}<extra>Diagnosed</extra>"
                if measure == "amount" else "%{y:,}<extra>Diagnosed</extra>")
    fig.add_bar(x=labels, y=accepted, name="Accepted",
                marker={"color": [LIGHT_GREEN if f else GREEN for f in flags],
                        "pattern": {"shape": ["/" if f else "" for f in flags]}},
                customdata=tag, text=label, textposition="outside", textangle=-90,
                textfont={"size": 11, "color": GREY}, cliponaxis=False,
                hovertemplate="%{y:$,.0f} %{customdata}<extra>Accepted</extra>"
                if measure == "amount" else "%{y:,} %{customdata}<extra>Accepted</extra>")
    mature_rate = [None if f else r for r, f in zip(rate, flags, strict=True)]
    provisional_rate = [r if f else None for r, f in zip(rate, flags, strict=True)]
    first = next((i for i, f in enumerate(flags) if f), None)
    if first is not None and first > 0:
        provisional_rate[first - 1] = rate[first - 1]
    fig.add_scatter(x=labels, y=mature_rate, name="Acceptance rate", yaxis="y2",
                    mode="lines+markers",
                    line={"color": ORANGE, "width": 3}, hovertemplate="%{y:.1%}<extra>Rate</extra>")
    if first is not None:
        fig.add_scatter(x=labels, y=provisional_rate, name="Rate (provisional)", yaxis="y2",
                        mode="lines+markers", line={"color": ORANGE, "dash": "dash", "width": 2},
                        opacity=0.6, hovertemplate="%{y:.1%} provisional<extra>Rate</extra>")
    fig.update_layout(barmode="group", uniformtext={"minsize": 10, "mode": "show"},
                      yaxis=MONEY_AXIS if measure == "amount" else {"tickformat": ",d"},
                      yaxis2={"overlaying": "y", "side": "right", "showgrid": False,
                              "range": [0, 1.05], "dtick": 0.25, **RATE_AXIS})
    return _layout(fig, title)


def time_to_acceptance_chart(frame: pl.DataFrame, max_cohorts: int = 6,
                             as_of: date | None = None) -> go.Figure:
    """Share of each recent cohort month's diagnosed fees accepted by day 0, 7, 14, 30, 60, 90.

    With ``as_of``, a day mark is drawn only once it has passed for the whole cohort
    (the month's last day + days <= as_of), so young cohorts do not look flat.
    """
    title = "How fast patients accept"
    rows = frame.filter(pl.col("diagnosed_amount") > 0) if frame.height else frame
    if as_of is not None and rows.height:
        month_end = pl.col("month").dt.month_end()
        rows = rows.filter(month_end + pl.duration(days=pl.col("days")) <= pl.lit(as_of))
    if rows.height == 0:
        return _empty(title, "No diagnosed treatment in this range")
    fig = go.Figure()
    months = sorted(set(rows["month"].to_list()))[-max_cohorts:]
    for index, cohort_month in enumerate(months):
        cohort = rows.filter(pl.col("month") == cohort_month).sort("days")
        newest = index == len(months) - 1
        fig.add_scatter(x=cohort["days"].to_list(), y=_floats(cohort, "share_amount"),
                        name=month(cohort_month), mode="lines+markers",
                        line={"width": 3 if newest else 1.5},
                        opacity=1.0 if newest else 0.55)
    fig.update_layout(yaxis={**RATE_AXIS, "range": [0, 1.05], "title": "share of fees accepted"},
                      xaxis={"title": "days after diagnosis", "tickvals": [0, 7, 14, 30, 60, 90]},
                      hovermode="closest")
    fig = _layout(fig, title)
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02})
    return fig


CASE_SIZES = ["< $500", "$500-1,999", "$2,000-4,999", ">= $5,000"]
UNASSIGNED = "Unassigned"
UNASSIGNED_LABEL = {"presenter": "Unassigned (no presenter)",
                    "provider": "Unassigned (no provider)"}


def breakdown_chart(frame: pl.DataFrame, dimension: str) -> go.Figure:
    """Acceptance rate by presenter, provider, category or case size; diagnosed $ as text."""
    title = f"Acceptance by {dimension.replace('_', ' ')}"
    rows = frame.filter(pl.col("dimension") == dimension) if "dimension" in frame.columns else frame
    if rows.height == 0:
        return _empty(title, "Nothing to break down in this range")
    if dimension == "case_size":
        order = {label: i for i, label in enumerate(CASE_SIZES)}
        rows = rows.with_columns(pl.col("label").replace_strict(order, default=99).alias("_o"))
        rows = rows.sort("_o").drop("_o")
    else:
        # 'Unassigned' (no presenter or provider recorded) is not a person: last, in grey
        rows = rows.with_columns((pl.col("label") == UNASSIGNED).alias("_u")).sort(
            ["_u", "diagnosed_amount"], descending=[False, True]).drop("_u")
    labels = [UNASSIGNED_LABEL.get(dimension, str(v)) if v == UNASSIGNED else str(v)
              for v in rows["label"].to_list()]
    colors = [GREY if v == UNASSIGNED else BLUE for v in rows["label"].to_list()]
    text = [f"{percent(r or 0, 0)} of {money(d or 0)}" for r, d in
            zip(_floats(rows, "rate_amount"), _floats(rows, "diagnosed_amount"), strict=True)]
    fig = go.Figure(go.Bar(x=_floats(rows, "rate_amount"), y=labels, orientation="h",
                           marker={"color": colors}, text=text, textposition="auto",
                           hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    fig.update_layout(xaxis={**RATE_AXIS, "range": [0, 1.05]},
                      yaxis={"autorange": "reversed"}, hovermode="closest")
    return _layout(fig, title, height=max(220, 60 + 36 * rows.height))


def same_day_chart(frame: pl.DataFrame, period: str = "month") -> go.Figure:
    """Share of diagnosed fees accepted on the day of diagnosis, per period."""
    title = "Same-day acceptance (share of diagnosed fees)"
    if frame.height == 0:
        return _empty(title, "No diagnosed treatment in this range")
    diagnosed = _floats(frame, "diagnosed_amount")
    same = _floats(frame, "same_day_amount")
    share = [s / d if d else None for s, d in zip(same, diagnosed, strict=True)]
    if _nothing(diagnosed):
        return _empty(title, NOTHING)
    fig = go.Figure(go.Scatter(x=period_labels(frame, period), y=share, mode="lines+markers",
                               line={"color": GREEN, "width": 3},
                               hovertemplate="%{y:.1%}<extra>Same day</extra>"))
    fig.update_layout(yaxis={**RATE_AXIS, "range": [0, 1.05]})
    return _layout(fig, title, height=280)


AGING_ORDER = ["0-30", "31-90", "91-180", "181-365", "365+"]


def unscheduled_aging_chart(frame: pl.DataFrame) -> go.Figure:
    """Unscheduled fees by days since diagnosis, youngest bucket first."""
    title = "Unscheduled treatment by age (days since diagnosis)"
    if frame.height == 0 or not any(_floats(frame, "amount")):
        return _empty(title, "No unscheduled treatment")
    rows = frame.sort("sort_order") if "sort_order" in frame.columns else frame
    colors = [LIGHT_BLUE, BLUE, ORANGE, RED, "#7b241c"][: rows.height]
    fig = go.Figure(go.Bar(x=[f"{b} days" for b in rows["bucket"].to_list()],
                           y=_floats(rows, "amount"), marker={"color": colors},
                           text=[money(v or 0) for v in _floats(rows, "amount")],
                           textposition="outside",
                           hovertemplate="%{x}: %{y:$,.0f}<extra></extra>"))
    fig.update_layout(yaxis=MONEY_AXIS, hovermode="closest")
    return _layout(fig, title)


def new_patients_chart(frame: pl.DataFrame, threshold: int | None = None) -> go.Figure:
    """New patients per month, the average of the 3 complete months before, and a threshold."""
    title = "New patients per month"
    if frame.height == 0:
        return _empty(title, "No patients in this range")
    labels = period_labels(frame, "month")
    if _nothing(_floats(frame, "count")):
        return _empty(title, NOTHING)
    fig = go.Figure()
    fig.add_bar(x=labels, y=_floats(frame, "count"), name="New patients", marker={"color": BLUE},
                hovertemplate="%{y:,}<extra>New patients</extra>")
    if "avg_3m" in frame.columns:
        fig.add_scatter(x=labels, y=_floats(frame, "avg_3m"), name="Average of the 3 months before",
                        mode="lines", line={"color": ORANGE, "width": 3, "dash": "dot"},
                        hovertemplate="%{y:.1f}<extra>3-month average</extra>")
    if threshold:
        _reference_line(fig, threshold, f"Coordinator threshold: {count(threshold)} a month", GREY)
    fig.update_layout(yaxis={"rangemode": "tozero"})
    return _layout(fig, title)


def referral_chart(frame: pl.DataFrame) -> go.Figure:
    """New patients by referral source, largest first."""
    title = "New patients by referral source"
    if frame.height == 0:
        return _empty(title, "No new patients in this range")
    rows = frame.sort("count", descending=True)
    labels = [v if v else "Not recorded" for v in rows["referral_source"].to_list()]
    fig = go.Figure(go.Bar(x=_floats(rows, "count"), y=labels, orientation="h",
                           marker={"color": GREEN}, hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_layout(yaxis={"autorange": "reversed"}, hovermode="closest")
    return _layout(fig, title, height=max(220, 60 + 30 * rows.height))


def active_patients_chart(frame: pl.DataFrame, threshold: int | None = None) -> go.Figure:
    """Active patients at each month's end, with the coordinator threshold as a reference line."""
    title = "Active patients (completed treatment in the last 18 months)"
    if frame.height == 0:
        return _empty(title, "No patients loaded")
    values = _floats(frame, "active_patients")
    if _nothing(values):
        return _empty(title, NOTHING)
    fig = go.Figure(go.Scatter(x=period_labels(frame, "month"), y=values, name="Active patients",
                               mode="lines+markers", line={"color": BLUE, "width": 3},
                               hovertemplate="%{y:,}<extra>Active</extra>"))
    if threshold:
        _reference_line(fig, threshold, f"Coordinator threshold: {count(threshold)}", GREY)
    # The axis fits the line (and the threshold), not 0: 1,500 to 1,600 must not look flat.
    shown = [v for v in values if v is not None] + ([threshold] if threshold else [])
    low, high = min(shown), max(shown)
    pad = max((high - low) * 0.15, high * 0.02, 1)
    fig.update_layout(yaxis={"range": [max(low - pad, 0), high + pad], "tickformat": ",d"})
    return _layout(fig, title)


def production_chart(frame: pl.DataFrame, period: str = "month") -> go.Figure:
    """Gross production, adjustments, net production and collections per period."""
    title = "Production and collections"
    if frame.height == 0:
        return _empty(title, "No production in this range")
    labels = period_labels(frame, period)
    if _nothing(_floats(frame, "gross_production"), _floats(frame, "collections")):
        return _empty(title, NOTHING)
    fig = go.Figure()
    for column, name, color in [("gross_production", "Gross production", LIGHT_BLUE),
                                ("adjustments", "Adjustments", GREY),
                                ("net_production", "Net production", BLUE),
                                ("collections", "Collections", GREEN)]:
        fig.add_bar(x=labels, y=_floats(frame, column), name=name, marker={"color": color},
                    hovertemplate="%{y:$,.0f}<extra>" + name + "</extra>")
    fig.update_layout(barmode="group", yaxis=MONEY_AXIS)
    return _layout(fig, title)


def collection_rate_chart(frame: pl.DataFrame, period: str = "month",
                          reference: float = 0.98) -> go.Figure:
    """Collections / net production per period with a reference line (98% by default)."""
    title = "Collection rate"
    if frame.height == 0:
        return _empty(title, "No production in this range")
    rates = _floats(frame, "collection_rate")
    if _nothing(rates):
        return _empty(title, NOTHING)
    fig = go.Figure(go.Scatter(x=period_labels(frame, period), y=rates, mode="lines+markers",
                               name="Collection rate",
                               line={"color": GREEN, "width": 3}, connectgaps=False,
                               hovertemplate="%{y:.1%}<extra>Collection rate</extra>"))
    _reference_line(fig, reference, f"Benchmark: {percent(reference, 0)}", RED)
    top = max([r for r in rates if r is not None] + [reference]) * 1.1
    fig.update_layout(yaxis={**RATE_AXIS, "range": [0, top]})
    return _layout(fig, title, height=300)


def aging_chart(row: dict, buckets: list[tuple[str, str]], title: str) -> go.Figure:
    """Bars of one row's aging buckets, e.g. [('ar_0_30', '0-30'), ...], in dollars."""
    values = [float(row.get(column) or 0) for column, _ in buckets]
    if not any(values):
        return _empty(title, "Nothing outstanding")
    colors = [LIGHT_BLUE, BLUE, ORANGE, RED][: len(values)]
    fig = go.Figure(go.Bar(x=[f"{label} days" for _, label in buckets], y=values,
                           marker={"color": colors}, text=[money(v) for v in values],
                           textposition="outside", hovertemplate="%{x}: %{y:$,.0f}<extra></extra>"))
    fig.update_layout(yaxis=MONEY_AXIS, hovermode="closest")
    return _layout(fig, title, height=300)


AR_BUCKETS = [("ar_0_30", "0-30"), ("ar_31_60", "31-60"), ("ar_61_90", "61-90"),
              ("ar_91_plus", "91+")]
CLAIM_BUCKETS = [("aging_0_30", "0-30"), ("aging_31_60", "31-60"), ("aging_61_90", "61-90"),
                 ("aging_91_plus", "91+")]


def comparison_chart(frame: pl.DataFrame, column: str, label: str,
                     kind: str = "money") -> go.Figure:
    """One figure per practice side by side (frame: practice_id + ``column``)."""
    title = f"{label} by practice"
    if frame.height == 0:
        return _empty(title, "No practices loaded")
    values = _floats(frame, column)
    text = [None if v is None else fmt(kind, v) for v in values]
    fig = go.Figure(go.Bar(x=frame["practice_id"].to_list(), y=values, text=text,
                           textposition="auto", marker={"color": BLUE},
                           hovertemplate="%{x}: %{text}<extra></extra>"))
    axis = MONEY_AXIS if kind == "money" else RATE_AXIS if kind == "percent" else {}
    fig.update_layout(yaxis=axis, hovermode="closest")
    return _layout(fig, title, height=280)


def readiness_trend_chart(frame: pl.DataFrame, column: str, title: str,
                          trend: list[tuple[date, float]] | None, threshold: int | None,
                          unit: str) -> go.Figure:
    """One readiness figure per month (last 24 complete months), its least-squares trend
    drawn on into the coming months, and the coordinator threshold."""
    if frame.height == 0:
        return _empty(title, "No months loaded")
    fig = go.Figure()
    fig.add_scatter(x=frame["month"].to_list(), y=_floats(frame, column), name=unit,
                    mode="lines+markers", line={"color": BLUE, "width": 3},
                    hovertemplate="%{y:,.0f}<extra>" + unit + "</extra>")
    if trend:
        fig.add_scatter(x=[m for m, _ in trend], y=[v for _, v in trend],
                        name="Trend (least squares), drawn on", mode="lines",
                        line={"color": ORANGE, "width": 2, "dash": "dash"},
                        hovertemplate="%{y:,.0f}<extra>trend</extra>")
    if threshold:
        fig.add_hline(y=threshold, line_dash="dot", line_color=GREY,
                      annotation_text=f"{count(threshold)} (coordinator threshold)",
                      annotation_position="top left")
    fig.update_layout(yaxis={"rangemode": "tozero"}, xaxis={"tickformat": "%b %Y"})
    return _layout(fig, title, height=320)


def readiness_practices_chart(frame: pl.DataFrame, column: str, title: str,
                              threshold: int | None) -> go.Figure:
    """One bar per practice (its own figure, never summed), with the coordinator threshold;
    practices at or above it in green."""
    if frame.height == 0:
        return _empty(title, "No practices loaded")
    values = _floats(frame, column)
    colors = [GREEN if threshold is not None and (v or 0) >= threshold else LIGHT_BLUE
              for v in values]
    fig = go.Figure(go.Bar(x=values, y=[str(p) for p in frame["practice_id"].to_list()],
                           orientation="h", marker={"color": colors},
                           text=[count(round(v or 0)) for v in values], textposition="auto",
                           hovertemplate="%{y}: %{x:,.1f}<extra></extra>"))
    if threshold:
        fig.add_vline(x=threshold, line_dash="dot", line_color=GREY,
                      annotation_text=count(threshold), annotation_position="top")
    fig.update_layout(yaxis={"autorange": "reversed"}, hovermode="closest")
    return _layout(fig, title, height=max(200, 90 + 40 * frame.height))


def followup_trend_chart(frame: pl.DataFrame) -> go.Figure:
    """Contacts made per month (bars) and follow-up speed (line, right axis), whole team."""
    title = "Follow-ups per month"
    team = frame.filter(pl.col("is_team")) if frame.height else frame
    if team.height == 0 or not team["contacts"].sum() and not team["speed_patients"].sum():
        return _empty(title, "No contacts recorded in this range")
    labels = period_labels(team, "month")
    fig = go.Figure()
    fig.add_bar(x=labels, y=_floats(team, "contacts"), name="Contacts made",
                marker={"color": BLUE}, hovertemplate="%{y:,}<extra>Contacts made</extra>")
    fig.add_scatter(x=labels, y=_floats(team, "speed_share"), name="Contacted within 7 days",
                    mode="lines+markers", yaxis="y2", line={"color": ORANGE, "width": 3},
                    hovertemplate="%{y:.0%}<extra>Follow-up speed</extra>")
    fig.update_layout(yaxis={"rangemode": "tozero"},
                      yaxis2={"overlaying": "y", "side": "right", "range": [0, 1],
                              "tickformat": ".0%", "showgrid": False})
    return _layout(fig, title, height=300)
