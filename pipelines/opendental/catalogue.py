"""The Open Dental tables the adapter reads, their codes, and the standard tables they feed."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

FORMAT = "opendental"
DEFAULT_PRACTICE = "main"


@dataclass(frozen=True)
class OdTable:
    """One Open Dental table: its key and the columns read (everything else is never read)."""

    key: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column read, required first."""
        return self.required + self.optional


# Only these columns are ever selected: SSN, Password and signature columns never are.
OD_TABLES: dict[str, OdTable] = {
    "patient": OdTable(
        "PatNum",
        ("PatNum", "LName", "FName", "PatStatus"),
        ("Birthdate", "HmPhone", "WkPhone", "WirelessPhone", "Email", "ClinicNum"),
    ),
    "procedurelog": OdTable(
        "ProcNum",
        ("ProcNum", "PatNum", "ProcDate", "ProcFee", "ProcStatus", "CodeNum"),
        ("AptNum", "ProvNum", "ClinicNum", "UnitQty", "BaseUnits", "DateTP"),
    ),
    "procedurecode": OdTable("CodeNum", ("CodeNum", "ProcCode"), ("Descript",)),
    "treatplan": OdTable(
        "TreatPlanNum",
        ("TreatPlanNum", "PatNum", "DateTP", "TPStatus"),
        ("UserNumPresenter", "DateTSigned"),
    ),
    "proctp": OdTable("ProcTPNum", ("ProcTPNum", "TreatPlanNum", "ProcNumOrig")),
    "appointment": OdTable(
        "AptNum",
        ("AptNum", "PatNum", "AptStatus", "AptDateTime"),
        ("ProvNum", "ClinicNum", "SecDateTEntry"),
    ),
    "payment": OdTable("PayNum", ("PayNum", "PayType")),
    "paysplit": OdTable(
        "SplitNum",
        ("SplitNum", "SplitAmt", "PatNum", "PayNum", "DatePay"),
        ("ClinicNum", "UnearnedType", "ProcNum"),
    ),
    "adjustment": OdTable(
        "AdjNum", ("AdjNum", "AdjDate", "AdjAmt", "PatNum", "AdjType"), ("ClinicNum", "ProcNum")
    ),
    "claim": OdTable(
        "ClaimNum",
        ("ClaimNum", "PatNum", "DateService", "ClaimStatus", "ClaimFee"),
        (
            "DateSent", "DateReceived", "InsPayEst", "InsPayAmt", "ClaimType", "ClinicNum",
            "PlanNum",
        ),
    ),
    "claimproc": OdTable(
        "ClaimProcNum",
        ("ClaimProcNum", "PatNum", "Status", "InsPayAmt", "WriteOff", "DateCP"),
        ("ClaimNum", "ProcDate", "ClinicNum", "ClaimPaymentNum", "ProcNum"),
    ),
    "provider": OdTable("ProvNum", ("ProvNum", "Abbr"), ("FName", "LName", "IsSecondary")),
    "userod": OdTable("UserNum", ("UserNum", "UserName")),
    "definition": OdTable("DefNum", ("DefNum", "ItemName"), ("Category", "ItemValue")),
    "refattach": OdTable(
        "RefAttachNum", ("RefAttachNum", "ReferralNum", "PatNum", "RefType"), ("ItemOrder",)
    ),
    "referral": OdTable("ReferralNum", ("ReferralNum",), ("LName", "FName", "BusinessName")),
    "clinic": OdTable("ClinicNum", ("ClinicNum",), ("Abbr", "Description")),
    "insplan": OdTable("PlanNum", ("PlanNum",), ("CarrierNum",)),
    "carrier": OdTable("CarrierNum", ("CarrierNum",), ("CarrierName",)),
}
REQUIRED_TABLES = ("patient", "procedurelog", "procedurecode")
SOURCES = {
    "patients": ("patient",),
    "team": ("provider", "userod"),
    "treatment_plans": ("treatplan",),
    "procedures": ("procedurelog",),
    "appointments": ("appointment",),
    "payments": ("paysplit", "claimproc"),
    "adjustments": ("adjustment", "claimproc"),
    "claims": ("claim",),
}
FILE_SUFFIXES = (".csv", ".txt", ".tsv")

PATIENT_STATUS = {
    0: "active",
    1: "nonpatient",
    2: "inactive",
    3: "archived",
    5: "deceased",
    6: "prospective",
}
PATIENT_DELETED = 4
PROCEDURE_STATUS = {
    1: "planned",
    2: "completed",
    3: "existing",
    4: "existing",
    5: "referred",
    6: "deleted",
    7: "condition",
    8: "inactive",
}
APPOINTMENT_STATUS = {
    1: "scheduled",
    2: "completed",
    3: "unscheduled",
    4: "scheduled",
    5: "broken",
    6: "planned",
}
APPOINTMENT_NOTES = (0, 7, 8)
SCHEDULED_APPOINTMENTS = (1, 2, 4)
CLAIM_STATUS = {
    "U": "unsent",
    "W": "unsent",
    "H": "hold",
    "I": "hold",
    "P": "sent",
    "S": "sent",
    "R": "received",
}
INSURANCE_PAID = (1, 4)
INSURANCE_WRITEOFF = (1, 4, 7)
FINANCING = r"(?i)carecredit|sunbit|cherry|lendingclub|proceed|financ"
NEW_PATIENT_EXCLUDED_CODES = ("D9986", "D9987")
BLANK_YEAR = 1880
TRUE_TEXT = ("1", "t", "true")
"""Booleans as Open Dental (0/1) or a Postgres replica (t/f, true/false) writes them."""
NEEDED_COLUMNS = {
    ("appointment", "SecDateTEntry"): (
        "the day an appointment was made is unknown: scheduled dates fall back to the "
        "appointment date or the day of the load, so acceptance counts are unreliable"
    ),
    ("procedurelog", "DateTP"): (
        "the day treatment was planned is unknown: diagnosed dates fall back to the "
        "procedure date, so acceptance rates read as if everything planned was done"
    ),
    ("procedurelog", "ProcDate"): "procedure dates are unknown: production has no dates",
    ("paysplit", "DatePay"): "payment dates are unknown: collections cannot be dated",
    ("claim", "DateService"): "claim service dates are unknown: claims cannot be aged",
}
"""Columns the metrics depend on -> what the numbers miss when one is blank on every row."""

AMOUNT = pl.Decimal(18, 4)
DATETIME = pl.Datetime("us")


class OpenDentalError(Exception):
    """A source that cannot be read at all (missing table or column, no connection)."""


def empty_table(table: str) -> pl.DataFrame:
    """An Open Dental table with no rows: ``_row`` and its columns as text."""
    columns = {"_row": pl.UInt32} | {column: pl.Utf8 for column in OD_TABLES[table].columns}
    return pl.DataFrame(schema=columns)
