"""The coordinator decision in words, from metric_payback rows written by hand."""

from datetime import date

from caseboard.review.payback import (
    break_even_sentence,
    formula_text,
    gains,
    inputs,
    no_payback_reason,
    payback_sentence,
    readiness_verdict,
    short_verdict,
)

# D 1,000, r 2/3, c 0.75, n 0.8, k 0.8, v 0.14: 412.8 a rate point (1.0) of gain;
# target 0.9: G = 412.8 x 0.2333 = 96.32; C 960 a year = 80 a month; net 16.32
ROW = {
    "basis_from": date(2025, 12, 1), "basis_to": date(2026, 5, 1),
    "diagnosed_amount": 6000, "accepted_amount": 4000, "completed_amount": 3000,
    "production_from": date(2025, 8, 1), "production_to": date(2026, 7, 1),
    "gross_production": 9100, "net_production": 7280, "collections": 5824,
    "monthly_diagnosed": 1000.0, "current_rate": 2 / 3, "completion_share": 0.75,
    "net_share": 0.8, "collection_rate": 0.8, "variable_cost_share": 0.14,
    "coordinator_cost": 960.0, "target_rate": 0.9, "target_is_default": False,
    "monthly_gain": 96.32, "monthly_cost": 80.0, "monthly_net": 16.32,
    "pays_for_itself": True, "break_even_rate": 2 / 3 + 80 / 412.8,
    "gain_plus_5": 20.64, "gain_plus_10": 41.28, "gain_plus_20": 82.56,
}


def test_pays_for_itself_in_words():
    assert payback_sentence(ROW) == (
        "At 90% acceptance a coordinator pays for itself: about $16 a month after its cost.")
    # 0.6667 + 80 / 412.8 = 0.8605
    assert break_even_sentence(ROW) == "It breaks even at 86.0% acceptance by fees (now 66.7%)."


def test_does_not_pay_in_words():
    # target 0.5 < r: G = 412.8 x (0.5 - 0.6667) = -68.8, net -148.8
    row = {**ROW, "target_rate": 0.5, "monthly_gain": -68.8, "monthly_net": -148.8,
           "pays_for_itself": False}
    assert payback_sentence(row) == (
        "At 50% acceptance a coordinator does not pay for itself at this target: it would "
        "cost about $149 a month more than it brings.")


def test_unreachable_break_even():
    row = {**ROW, "break_even_rate": 6.7984}
    assert break_even_sentence(row).startswith("It breaks even only above 100% acceptance")


def test_no_production_says_why():
    row = {**ROW, "net_share": None, "collection_rate": None, "monthly_gain": None,
           "monthly_net": None, "pays_for_itself": None, "break_even_rate": None}
    assert no_payback_reason(row) == (
        "No payback: no production was recorded in Aug 2025 to Jul 2026, so what accepted "
        "treatment brings in cannot be estimated.")
    assert payback_sentence(row) == no_payback_reason(row)
    assert (break_even_sentence(row), gains(row), formula_text(row)) == (None, [], None)
    nothing = {**row, "current_rate": None}
    assert "nothing was diagnosed in the basis months (Dec 2025 to May 2026)" in \
        payback_sentence(nothing)
    negative = {**ROW, "collection_rate": None}
    assert "zero or less" in payback_sentence(negative)


def test_gains_and_inputs_with_sources():
    # +5 points: 20.64 gain, 20.64 - 80 = -59.36; +20: 82.56 - 80 = 2.56
    assert gains(ROW) == [
        {"Acceptance": "71.7% (+5 points)", "Extra collections a month": "$21",
         "After the coordinator's cost": "-$59"},
        {"Acceptance": "76.7% (+10 points)", "Extra collections a month": "$41",
         "After the coordinator's cost": "-$39"},
        {"Acceptance": "86.7% (+20 points)", "Extra collections a month": "$83",
         "After the coordinator's cost": "$3"},
    ]
    shown = {r["Input"]: (r["Value"], r["From"]) for r in inputs(ROW)}
    assert shown["Diagnosed a month (D)"] == (
        "$1,000", "$6,000 diagnosed in the 6 most recent mature months (Dec 2025 to May 2026) / 6")
    assert shown["Net share (n)"][0] == "80.0%"
    assert "write-offs come off" in shown["Net share (n)"][1]
    assert shown["Completion share (c)"] == ("75.0%",
                                            "$3,000 of the accepted fees already completed")
    assert shown["Coordinator's cost (C)"][0] == "$960 a year"
    assert formula_text(ROW).endswith("= $96 a month; minus $80 a month of cost = $16.")


def test_readiness_verdicts():
    assert readiness_verdict(1600, 52.3, 1500, 50).startswith("Ready: 1,600 active patients")
    # 1,500 - 1,200 = 300 short; 50 - 40.5 = 9.5 short
    text = readiness_verdict(1200, 40.5, 1500, 50)
    assert "300 more active patients" in text
    assert "9.5 more new patients a month" in text
    assert readiness_verdict(None, None, 1500, 50).startswith("Not enough data")
    row = {"ready": False, "active_patients": 1200, "new_patients_avg_3m": 55,
           "ready_active": 1500, "ready_new": 50}
    assert short_verdict(row) == "Not ready: needs 300 more active patients (has 1,200 of 1,500)"
    assert short_verdict({**row, "ready": True}) == "Ready"
