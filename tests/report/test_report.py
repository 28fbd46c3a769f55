"""The weekly owner report: its figures, its PDF text, pages, rendering and privacy.

Fixture (tests/weekly_practice.py): week Mon 2026-10-05 .. Sun 2026-10-11, A = 2026-10-30.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from caseboard.commands import report as report_command
from caseboard.metrics import MetricParams, query_view
from caseboard.report import build_report_pdf, read_report
from caseboard.review.format import load_time
from caseboard.review.registry import METRICS
from caseboard.storage import read_connection
from tests.weekly_practice import AS_OF, AVERAGE, LAST_WEEK, MONDAY, THIS_WEEK, WEEK

pytestmark = pytest.mark.xdist_group("report")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "report"
FULL_NAMES = ["Alice Johnson", "Robert Smith", "Maria Garcia"]

@pytest.fixture(scope="module")
def model(one_practice_db):
    """The report model of the fixture week, without names."""
    return read_report(one_practice_db, WEEK)


def test_tiles_are_the_weeks_figures_and_match_the_metrics_views(model, one_practice_db):
    """Every tile holds the hand-worked figure, which is also what caseboard.metrics gives."""
    assert (model.week_start, model.as_of) == (MONDAY, AS_OF)
    section = model.sections[0]
    for key, expected in THIS_WEEK.items():
        assert section.tile(key).value == pytest.approx(expected), key
    for key, expected in LAST_WEEK.items():
        assert section.tile(key).last_week == pytest.approx(expected), key
    for key, expected in AVERAGE.items():
        assert section.tile(key).average == pytest.approx(expected), key
    assert section.tile("rate_amount").provisional  # Oct 11 + 90 days is after A

    week = MetricParams(week_from=MONDAY, week_to=MONDAY)
    with read_connection(one_practice_db) as con:
        acceptance = query_view(con, "metric_acceptance_weekly", week).row(0, named=True)
        production = query_view(con, "metric_production_weekly", week).row(0, named=True)
        unscheduled = query_view(
            con, "metric_unscheduled", MetricParams(as_of=date(2026, 10, 11))
        ).row(0, named=True)
    assert section.tile("diagnosed_amount").value == float(acceptance["diagnosed_amount"])
    assert section.tile("accepted_amount").value == float(acceptance["accepted_amount"])
    assert section.tile("gross_production").value == float(production["gross_production"])
    assert section.tile("unscheduled_amount").value == float(unscheduled["total_amount"])


def test_largest_cases_are_by_amount_with_initials(model):
    """Maria: X4 3000; Robert: X2 1000 + X3 200 = 1200; Alice has nothing unscheduled."""
    rows = [(c.patient, c.amount, c.procedure_count, c.age_days) for c in model.sections[0].cases]
    # Ages on Sun 10-11: Maria's X4 diagnosed 09-29 = 12 days; Robert's oldest 10-06 = 5 days.
    assert rows == [("M. G.", 3000.0, 1, 12), ("R. S.", 1200.0, 2, 5)]
    assert model.sections[0].unscheduled_patients == 2


def test_goal_status_for_the_week(model):
    """Goals read as of the week's Sunday (as the dashboard does).

    Accepted goal $2,000: by Sun 10-11 only X1 (1200) is accepted (X3 is scheduled 10-30),
    progress 1200 / 2000 = 0.6 with the whole week elapsed -> behind. New patients goal 1:
    Alice -> 1 / 1 -> on track.
    """
    goals = [(g.label, g.target_text, g.actual_text, g.progress, g.status)
             for g in model.sections[0].goals]
    assert goals == [("Accepted", "$2,000", "$1,200", pytest.approx(0.6), "behind"),
                     ("New patients", "1", "1", pytest.approx(1.0), "on track")]


def test_default_week_is_the_last_complete_week_before_as_of(one_practice_db):
    """A = Fri 2026-10-30, so the last complete week is Mon 10-19 .. Sun 10-25."""
    model = read_report(one_practice_db)
    assert (model.week_start, model.week_end) == (date(2026, 10, 19), date(2026, 10, 25))
    assert model.complete
    # The week holding A (Mon 10-26 .. Sun 11-01) is still running: figures up to Fri 10-30.
    running = read_report(one_practice_db, date(2026, 11, 1))
    assert (running.week_start, running.complete) == (date(2026, 10, 26), False)
    # X3's scheduling on 10-30 leaves Robert's X2 (1000) and Maria's X4 (3000) unscheduled.
    assert running.sections[0].tile("unscheduled_amount").value == 4000.0


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> tuple[str, int]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


@pytest.fixture(scope="module")
def pdf(one_practice_db, kaleido, poppler) -> bytes:
    """The report of the fixture week, without names."""
    return build_report_pdf(one_practice_db, WEEK)


def test_pdf_shows_the_weeks_figures_on_one_or_two_pages(pdf, tmp_path):
    """The PDF text holds each tile's figure formatted as the dashboard formats it."""
    text, pages = _pdf_text(pdf, tmp_path, "week")
    assert 1 <= pages <= 2
    info = subprocess.run(["pdfinfo", str(tmp_path / "week.pdf")], check=True,
                          capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info  # the default paper
    for key, value in THIS_WEEK.items():
        assert METRICS[key].format(value) in text, key
    # '58.3%' for 1400/2400, '$4,200' unscheduled, comparisons against last week.
    assert "58.3%" in text and "$4,200" in text
    assert "+$1,200 vs last week ($3,000)" in text  # unscheduled 4200 - 3000
    assert "-$600 vs last week ($3,000)" in text  # diagnosed 2400 - 3000
    assert "Unscheduled treatment rose by $1,200 to $4,200" in text
    assert "Mon Oct 5 – Sun Oct 11, 2026" in text  # as the dashboard's week picker writes it
    assert "$2,000" in text and "behind" in text and "on track" in text  # goals
    # stored 07:31 UTC, shown in this computer's zone, saying which ("7:31 AM UTC" in UTC)
    assert f"last loaded {load_time(datetime(2026, 10, 31, 7, 31))}" in text


def test_pdf_without_names_shows_initials_only(pdf, tmp_path, one_practice_db):
    """No full patient name in the default PDF; initials instead."""
    text, _ = _pdf_text(pdf, tmp_path, "initials")
    with read_connection(one_practice_db) as con:
        worklist = query_view(con, "metric_unscheduled_worklist",
                              MetricParams(as_of=date(2026, 10, 11)))
    names = [f"{f} {la}" for f, la in zip(worklist["first_name"], worklist["last_name"],
                                          strict=True)]
    assert set(names) == {"Maria Garcia", "Robert Smith"}
    for name in [*names, *FULL_NAMES]:
        assert name not in text
        assert name.split()[1] not in text
    assert "M. G." in text and "R. S." in text


def test_pdf_with_names_shows_full_names(one_practice_db, kaleido, poppler, tmp_path):
    """--with-names puts the patients' names in the case list, largest first."""
    text, _ = _pdf_text(build_report_pdf(one_practice_db, WEEK, with_names=True), tmp_path,
                        "names")
    assert "Maria Garcia" in text and "Robert Smith" in text
    assert text.index("Maria Garcia") < text.index("Robert Smith")  # 3000 before 1200


def test_page_one_is_drawn(pdf, tmp_path):
    """Page 1 as a PNG is not blank: tiles, text and the chart cover part of the page."""
    path = tmp_path / "week.pdf"
    path.write_bytes(pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(ARTIFACTS / "page1")], check=True)
    image = Image.open(ARTIFACTS / "page1.png")
    grey = image.convert("L").histogram()
    inked = sum(grey[:235]) / sum(grey)
    assert 0.04 < inked < 0.6, inked
    # The chart is drawn: blue bars (blue well above red) in the lower half of the page.
    red, _, blue = image.convert("RGB").crop((0, image.height // 2, image.width,
                                              image.height)).split()
    blues = sum(1 for r, b in zip(red.tobytes(), blue.tobytes(), strict=True) if b > r + 40)
    assert blues > 200, blues


def test_several_practices_get_a_section_each_and_a_comparison(tiny_two_practice_db, kaleido,
                                                               poppler, tmp_path):
    """P1 and P2: a comparison table with an all-practices row, then one section each."""
    text, pages = _pdf_text(build_report_pdf(tiny_two_practice_db, WEEK), tmp_path, "two")
    assert 3 <= pages <= 5  # overview + at most 2 pages per practice
    assert "Practices side by side" in text and "All practices" in text
    assert "Practice P1" in text and "Practice P2" in text
    # P1's goal shows in P1's section only (each section also counts 'goals behind')
    assert text.count("behind") - text.count("goals behind") - text.count("Goals behind") == 1
    assert "1 goals behind" in text and "0 goals behind" in text  # P1's line, P2's line
    # P2 diagnosed Y1 900 on 10-06, unscheduled; all practices: 2400 + 900 = 3300 diagnosed,
    # 4200 + 900 = 5100 unscheduled.
    assert "$3,300" in text and "$5,100" in text and "$900" in text


def test_one_practice_of_several(tiny_two_practice_db):
    """--practice P2 reports P2 alone: diagnosed 900, unscheduled 900, no comparison."""
    model = read_report(tiny_two_practice_db, WEEK, practice_id="P2")
    assert [s.practice_id for s in model.sections] == ["P2"] and not model.comparison
    assert model.sections[0].tile("diagnosed_amount").value == 900.0
    assert model.sections[0].tile("unscheduled_amount").value == 900.0


def test_dashboard_parameters_reach_the_report(one_practice_db):
    """The dashboard passes its sidebar's window: with 7 days, X1 (scheduled 1 day after
    diagnosis) is accepted and X3 (scheduled 10-30, 23 days after 10-07) is not, so accepted
    = 1200 and the rate 1200 / 2400 = 0.5; diagnosed stays 2400."""
    model = read_report(one_practice_db, WEEK, params=MetricParams(window_days=7))
    section = model.sections[0]
    assert model.window_days == 7
    assert section.tile("diagnosed_amount").value == 2400.0
    assert section.tile("accepted_amount").value == 1200.0
    assert section.tile("rate_amount").value == pytest.approx(0.5)


def test_goal_note_and_tile_definition_say_which_rule_each_uses(model):
    """The report's goal note is the registry's goal rule; the Accepted definition its own."""
    from caseboard.report.render import render_html

    html = render_html(model, {})
    assert html.count(METRICS["goal_progress"].definition.replace("'", "&#39;")) == 1
    assert "up to the as-of date" in METRICS["accepted_amount"].definition
    assert "week's Sunday" in METRICS["goal_progress"].definition


def test_html_output_embeds_the_charts(one_practice_db, kaleido, tmp_path):
    """The HTML is self-contained: charts as SVG data URIs, sized to the page width."""
    out = tmp_path / "week.html"
    assert report_command.main(["--db", str(one_practice_db), "--week", "2026-10-07",
                                "--paper", "a4", "--out", str(out)]) == 0
    html = out.read_text()
    assert "@page { size: A4; }" in html
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert html.count('style="width:100%"') == 2
    assert "$4,200" in html and "Johnson" not in html


def test_named_report_file_is_private(one_practice_db, monkeypatch, tmp_path):
    """With --with-names the written file is readable by its owner only (mode 600)."""
    monkeypatch.setattr("caseboard.report.images.chromium_path", lambda: None)
    out = tmp_path / "named.html"
    assert report_command.main(["--db", str(one_practice_db), "--week", "2026-10-07",
                                "--with-names", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert "Maria Garcia" in out.read_text()


def test_cli_window_reaches_the_figures(one_practice_db, monkeypatch, tmp_path):
    """--window 7: accepted 1200 of 2400 diagnosed = 50.0%; the default 90 days gives
    1400 / 2400 = 58.3% (X3, scheduled 23 days after diagnosis, is then accepted)."""
    monkeypatch.setattr("caseboard.report.images.chromium_path", lambda: None)
    default, short = tmp_path / "default.html", tmp_path / "short.html"
    for out, extra in ((default, []), (short, ["--window", "7"])):
        assert report_command.main(["--db", str(one_practice_db), "--week", "2026-10-07",
                                    *extra, "--out", str(out)]) == 0
    assert "58.3%" in default.read_text() and "50.0%" not in default.read_text()
    assert "50.0%" in short.read_text() and "58.3%" not in short.read_text()


def test_without_chromium_the_report_leaves_charts_out(one_practice_db, monkeypatch, tmp_path):
    """No Chromium: the report is still written, without chart images, saying why."""
    monkeypatch.setattr("caseboard.report.images.chromium_path", lambda: None)
    out = tmp_path / "plain.html"
    assert report_command.main(["--db", str(one_practice_db), "--week", "2026-10-07",
                                "--out", str(out)]) == 0
    html = out.read_text()
    assert "data:image/" not in html
    assert "Charts left out: no Chromium found" in html and "$4,200" in html


def test_exit_codes(tmp_path, one_practice_db, capsys):
    """1 without a database, for an unknown practice or a week after the data; 2 on usage."""
    missing = ["--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r.pdf")]
    assert report_command.main(missing) == 1
    assert "no database" in capsys.readouterr().err
    unknown = ["--db", str(one_practice_db), "--practice", "ZZ", "--out", str(tmp_path / "r.pdf")]
    assert report_command.main(unknown) == 1
    assert "no practice 'ZZ'" in capsys.readouterr().err
    late = ["--db", str(one_practice_db), "--week", "2026-11-02", "--out", str(tmp_path / "r.pdf")]
    assert report_command.main(late) == 1
    assert "after the data's as-of date 2026-10-30" in capsys.readouterr().err
    for bad in (["--out", "report.docx"], ["--week", "last week", "--out", "r.pdf"], []):
        with pytest.raises(SystemExit) as exit_info:
            report_command.main(bad)
        assert exit_info.value.code == 2
    assert not (tmp_path / "r.pdf").exists()


def test_empty_database_is_no_data(tmp_path):
    """A database with nothing loaded: exit 1 with a message saying what to do."""
    from caseboard.publish import publishing

    db = tmp_path / "empty.duckdb"
    with publishing(db):
        pass
    assert report_command.main(["--db", str(db), "--out", str(tmp_path / "r.pdf")]) == 1
