"""Call list filters and the CSV download: de-identified, formula-safe."""

import csv
import io
from datetime import date
from decimal import Decimal

import polars as pl

from caseboard.review.calllist import call_list_csv, filter_worklist, provider_names
from caseboard.review.format import count, money, percent

AS_OF = date(2026, 10, 31)


def _worklist():
    return pl.DataFrame({
        "first_name": ["=cmd", "Ann", "Bo", "Cy"],
        "last_name": ["Smith", "Lee", None, "Ng"],
        "phone": ["(555) 123-4567", "+1 555 000 1111", None, "555-9999"],
        "amount": [Decimal("2500"), Decimal("400"), Decimal("0"), Decimal("1200")],
        "procedure_count": [2, 1, 0, 3],
        "codes": ["D2740", "@SUM(A1)", None, "D3330, D2950"],
        "providers": ["Dr. Lee", "Dr. Kim", None, "Dr. Kim, Dr. Lee"],
        "oldest_diagnosed_date": [date(2026, 9, 30), date(2026, 3, 1), None, date(2026, 10, 20)],
        "last_visit_date": [date(2026, 10, 1), None, None, date(2026, 10, 20)],
        "next_appointment": [None, None, None, None],
        "declined_amount": [Decimal("0"), Decimal("0"), Decimal("300"), Decimal("0")],
    })


def test_filters():
    rows = _worklist()
    assert provider_names(rows) == ["Dr. Kim", "Dr. Lee"]
    # default: patients with unscheduled treatment, largest first
    assert filter_worklist(rows, AS_OF)["first_name"].to_list() == ["=cmd", "Cy", "Ann"]
    # at least $1,000
    assert filter_worklist(rows, AS_OF, min_amount=1000)["first_name"].to_list() == ["=cmd", "Cy"]
    # waiting 31+ days: diagnosed on or before Sep 30 (Oct 31 - 31 days)
    assert filter_worklist(rows, AS_OF, min_age_days=31)["first_name"].to_list() == ["=cmd", "Ann"]
    assert filter_worklist(rows, AS_OF, providers=["Dr. Kim"])["first_name"].to_list() == [
        "Cy", "Ann"]
    assert filter_worklist(rows, AS_OF, include_declined_only=True).height == 4


def _read(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_csv_is_formula_safe_with_names():
    rows = _read(call_list_csv(filter_worklist(_worklist(), AS_OF), deidentify=False))
    assert rows[0][:4] == ["Patient", "Phone", "Unscheduled amount", "Procedures"]
    assert rows[1][:3] == ["'=cmd Smith", "(555) 123-4567", "2500.0"]
    # a phone starting with + and a code starting with @ are neutralised too
    assert rows[3][1] == "'+1 555 000 1111" and rows[3][4] == "'@SUM(A1)"


def test_csv_deidentified():
    rows = _read(call_list_csv(filter_worklist(_worklist(), AS_OF), deidentify=True))
    # initials and masked phones only; '=cmd' becomes '=. S.' -> neutralised
    assert [r[0] for r in rows[1:]] == ["'=. S.", "C. N.", "A. L."]
    assert [r[1] for r in rows[1:]] == ["***-**67", "***-**99", "***-**11"]
    assert "Smith" not in "".join(",".join(r) for r in rows)


def test_formats():
    assert money(12345.6) == "$12,346" and money(-50) == "-$50" and money(None) == "—"
    assert percent(0.4567) == "45.7%" and count(1500) == "1,500" and count(52.25) == "52.2"
