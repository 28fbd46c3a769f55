"""The Streamlit app on a real two-practice database (AppTest): pages, filters, tile values."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from caseboard import metrics
from caseboard.review import periods
from caseboard.review.format import count, money, percent

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
PAGES = ["acceptance", "unscheduled", "growth", "collections", "coordinator", "data_page"]


@pytest.fixture
def app(two_practice_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh AppTest of the router, reading the sample database, no password configured."""
    monkeypatch.setenv("CASEBOARD_DB", str(two_practice_db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEBOARD_DEIDENTIFY", raising=False)
    return AppTest.from_file(str(APP), default_timeout=120)


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _figures(db: Path, **params) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return metrics.metrics_json(con, metrics.MetricParams(**params))


def _view(db: Path, view: str, **params):
    with duckdb.connect(str(db), read_only=True) as con:
        return metrics.query_view(con, view, metrics.MetricParams(**params))


def _as_of(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return metrics.default_as_of(con)


def test_every_page_renders(app: AppTest):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Weekly review"
    for page in PAGES:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, page
        assert not app.error, page
    assert app.title[0].value == "Data"


def test_weekly_tiles_equal_metrics(app: AppTest, two_practice_db: Path):
    app.run()
    as_of = _as_of(two_practice_db)
    monday = periods.last_complete_week(as_of)
    assert app.selectbox(key="weekly_week").value == monday
    week = _view(two_practice_db, "metric_acceptance_weekly", week_from=monday, week_to=monday)
    production = _view(two_practice_db, "metric_production_weekly", week_from=monday,
                       week_to=monday)
    sunday = monday + timedelta(days=6)
    point = _figures(two_practice_db, as_of=sunday)
    tiles = _tiles(app)
    assert tiles["Diagnosed"] == money(week["diagnosed_amount"][0])
    assert tiles["Accepted"] == money(week["accepted_amount"][0])
    assert tiles["Acceptance rate ($)"] == percent(week["rate_amount"][0])
    assert tiles["Gross production"] == money(production["gross_production"][0])
    assert tiles["Collections"] == money(production["collections"][0])
    assert tiles["Unscheduled treatment"] == money(point["unscheduled"]["total_amount"])
    assert tiles["A/R over 90 days"] == money(point["ar_aging"]["91+"])
    aging = point["claims_outstanding"]["aging"]
    assert tiles["Claims outstanding over 30 days"] == money(
        aging["31-60"] + aging["61-90"] + aging["91+"])
    assert app.markdown, "the what-changed list is shown"


def test_practices_side_by_side_equal_metrics(app: AppTest, two_practice_db: Path):
    """The weekly side-by-side table: each practice's week straight from the views."""
    app.run()
    monday = periods.last_complete_week(_as_of(two_practice_db))
    table = next(d.value for d in app.dataframe if "Figure" in d.value.columns)
    assert table.columns.tolist() == ["Figure", "p001", "p002"]  # a column per practice
    figures = table.set_index("Figure")
    for practice in ["p001", "p002"]:
        week = _view(two_practice_db, "metric_acceptance_weekly", week_from=monday,
                     week_to=monday, practice_id=practice)
        assert figures.loc["Diagnosed", practice] == money(week["diagnosed_amount"][0])
        assert figures.loc["Accepted", practice] == money(week["accepted_amount"][0])


def test_week_and_practice_change_the_numbers(app: AppTest, two_practice_db: Path):
    app.run()
    before = _tiles(app)
    earlier = periods.last_complete_week(_as_of(two_practice_db)) - timedelta(days=7 * 8)
    app.selectbox(key="weekly_week").set_value(earlier).run()
    assert not app.exception
    week = _view(two_practice_db, "metric_acceptance_weekly", week_from=earlier, week_to=earlier)
    after = _tiles(app)
    assert after["Diagnosed"] == money(week["diagnosed_amount"][0])
    assert after != before

    app.selectbox(key="practice").set_value("p001").run()
    assert not app.exception
    one = _view(two_practice_db, "metric_acceptance_weekly", week_from=earlier, week_to=earlier,
                practice_id="p001")
    assert _tiles(app)["Diagnosed"] == money(one["diagnosed_amount"][0])
    assert _tiles(app) != after


def test_growth_and_collections_tiles_equal_metrics(app: AppTest, two_practice_db: Path):
    app.run()
    app.selectbox(key="practice").set_value("p002").run()
    figures = _figures(two_practice_db, practice_id="p002")
    app.switch_page("app_pages/growth.py").run()
    tiles = _tiles(app)
    assert tiles["Active patients"] == count(figures["active_patients"])
    new_patients = sum(m["count"] for m in figures["new_patients"]["months"])
    assert tiles["New patients"] == count(new_patients)
    app.switch_page("app_pages/collections.py").run()
    tiles = _tiles(app)
    months = figures["production"]["months"]
    assert tiles["Gross production"] == money(sum(m["gross_production"] for m in months))
    assert tiles["Collections"] == money(sum(m["collections"] for m in months))
    assert tiles["A/R total"] == money(figures["ar_aging"]["total"])
    assert tiles["Claims outstanding"] == money(figures["claims_outstanding"]["amount"])
    app.switch_page("app_pages/unscheduled.py").run()
    assert _tiles(app)["Unscheduled treatment"] == money(figures["unscheduled"]["total_amount"])


def test_acceptance_window_and_codes_reach_the_views(app: AppTest, two_practice_db: Path):
    app.switch_page("app_pages/acceptance.py").run()
    default = _tiles(app)["Diagnosed"]
    app.toggle(key="all_codes").set_value(True).run()
    app.number_input(key="window_days").set_value(30).run()
    assert not app.exception
    months = _figures(two_practice_db, all_codes=True, window_days=30)["acceptance"]["months"]
    assert _tiles(app)["Diagnosed"] == money(sum(m["diagnosed_amount"] for m in months))
    assert _tiles(app)["Diagnosed"] != default
    spec = app.get("plotly_chart")[0].proto.spec
    assert '"tickformat":"$,.0f"' in spec.replace(" ", "")


def test_deidentify_hides_names(app: AppTest, two_practice_db: Path):
    app.run()
    worklist = _view(two_practice_db, "metric_unscheduled_worklist",
                     as_of=periods.point_in_time(periods.last_complete_week(
                         _as_of(two_practice_db)), _as_of(two_practice_db)))
    top = worklist.sort("amount", descending=True).row(0, named=True)
    shown = app.dataframe[0].value
    assert shown["patient"].iloc[0] == f"{top['first_name']} {top['last_name']}"
    app.toggle(key="deidentify").set_value(True).run()
    shown = app.dataframe[0].value
    assert shown["patient"].iloc[0] == f"{top['first_name'][0]}. {top['last_name'][0]}."
    assert shown["phone"].iloc[0].startswith("***-**")


def test_weekly_offers_the_report_pdf_by_initials(app: AppTest, two_practice_db: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    """A PDF button for the chosen week and practice; names only if ticked, never de-identified."""
    from dashboard import data

    asked = []

    def fake(params, monday, with_names):
        asked.append((params.practice_id, params.window_days, monday, with_names))
        return lambda: b"%PDF-"

    monkeypatch.setattr(data, "report_pdf", fake)
    app.run()
    button = app.get("download_button")
    assert [b.proto.label for b in button] == ["Download weekly report (PDF)"]
    monday = periods.last_complete_week(_as_of(two_practice_db))
    assert asked[-1] == (None, 90, monday, False), "initials by default"
    app.checkbox(key="weekly_pdf_names").check().run()
    assert asked[-1][3] is True
    app.toggle(key="deidentify").set_value(True).run()
    assert app.checkbox(key="weekly_pdf_names").disabled
    assert asked[-1][3] is False, "de-identifying overrides the names box"
    app.selectbox(key="practice").set_value("p002").run()
    app.selectbox(key="weekly_week").set_value(monday - timedelta(days=7)).run()
    assert asked[-1] == ("p002", 90, monday - timedelta(days=7), False)


def test_goal_heading_explains_the_goal_rule(app: AppTest):
    """The weekly goals heading carries the registry's goal rule as help."""
    from caseboard.review.registry import METRICS

    app.run()
    heading = next(h for h in app.subheader if h.value == "Goals")
    assert heading.proto.help == METRICS["goal_progress"].definition


def test_goal_saved_in_database(two_practice_db: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "goals.duckdb"
    shutil.copyfile(two_practice_db, db)
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/coordinator.py").run()
    at.selectbox(key="practice").set_value("p001").run()
    at.selectbox(key="goal_new_metric").set_value("collections").run()
    at.number_input(key="goal_new_target_collections").set_value(25000.0)
    at.selectbox(key="goal_new_period").set_value("month")
    at.button(key="goal_new_save").click()
    at.run()
    assert not at.exception
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "select metric, target, period, practice_id, member_id from goals"
        ).fetchall()
    assert rows == [("collections", 25000.0, "month", "p001", None)]
    progress = _view(db, "metric_goal_progress")
    actual = progress["actual"][0]
    texts = [p.proto.text for p in at.get("progress")]
    assert any(money(actual) in t and "$25,000" in t for t in texts), texts
    goal_id = progress["goal_id"][0]
    at.button(key=f"coordinator_remove_{goal_id}").click().run()
    assert not at.exception
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select count(*) from goals").fetchall() == [(0,)]


def test_deidentify_default_from_environment(app: AppTest, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CASEBOARD_DEIDENTIFY", "1")
    app.run()
    assert app.toggle(key="deidentify").value is True
    patients = app.dataframe[0].value["patient"].tolist()
    assert all(len(name) <= 5 and name.endswith(".") for name in patients), patients


def test_empty_state_without_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CASEBOARD_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "caseboard ingest PATH" in at.info[0].value
    at.switch_page("app_pages/data_page.py").run()
    assert not at.exception
    assert any("upload an export" in i.value for i in at.info)


def test_goal_while_a_load_is_writing(two_practice_db: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch):
    from caseboard.storage import write_lock

    db = tmp_path / "busy.duckdb"
    shutil.copyfile(two_practice_db, db)
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CASEBOARD_LOCK_TIMEOUT", "0.2")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/coordinator.py").run()
    at.number_input(key="goal_new_target_accepted_amount").set_value(100.0)
    with write_lock(db, timeout_s=1):
        at.button(key="goal_new_save").click()
        at.run()
    assert not at.exception
    assert "The goal was not saved" in at.error[0].value
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select count(*) from goals").fetchall() == [(0,)]


def test_claims_to_chase_has_a_carrier_column(app: AppTest):
    """The sample export has no carrier: the column shows '—' and the caption says so."""
    app.run()
    app.switch_page("app_pages/collections.py").run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "claim_id" in d.value.columns)
    assert list(table.columns)[2:4] == ["claim_id", "carrier"]
    assert len(table) > 0 and set(table["carrier"]) == {"—"}
    captions = [c.value for c in app.caption]
    assert any("billed, as of" in c and c.endswith(". Carrier not in the export.")
               for c in captions)
    assert not any("carries no insurance carrier" in c for c in captions)
