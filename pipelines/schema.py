"""The standard export format as typed table specs (../shared/spec/data-format.md).

One `TableSpec` per export table: its columns with their kind, whether they
are required, the allowed values of enumerations, the key, and the columns
that refer to other tables. Readers, the Open Dental adapter and the loader
all work from these specs; `sql/schema/001_raw_tables.sql` holds the same
columns as DuckDB tables (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import polars as pl


class Kind(Enum):
    """How a column's text is parsed."""

    ID = "id"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    AMOUNT = "amount"
    ENUM = "enum"


@dataclass(frozen=True)
class Column:
    """One column of an export table."""

    name: str
    kind: Kind
    required: bool = True
    values: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """One table of the standard export format."""

    name: str
    key: str
    columns: tuple[Column, ...]
    required: bool = False
    references: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in export order."""
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(column for column in self.columns if column.name == name)


def _id(name: str, required: bool = True) -> Column:
    return Column(name, Kind.ID, required)


def _text(name: str, required: bool = True) -> Column:
    return Column(name, Kind.TEXT, required)


def _date(name: str, required: bool = True) -> Column:
    return Column(name, Kind.DATE, required)


def _amount(name: str, required: bool = True) -> Column:
    return Column(name, Kind.AMOUNT, required)


def _enum(
    name: str, values: tuple[str, ...], required: bool = True, default: str | None = None
) -> Column:
    return Column(name, Kind.ENUM, required, values, default)


PRACTICE = _id("practice_id", required=False)

PATIENT_STATUSES = ("active", "inactive", "archived", "deceased", "prospective", "nonpatient")
TEAM_ROLES = (
    "dentist", "hygienist", "specialist", "coordinator", "office_manager", "front_desk", "other",
)
PLAN_STATUSES = ("active", "inactive", "saved")
PROCEDURE_STATUSES = (
    "planned", "completed", "existing", "referred", "condition", "inactive", "deleted",
)
APPOINTMENT_STATUSES = ("scheduled", "completed", "broken", "unscheduled", "planned")
PAYMENT_SOURCES = ("patient", "insurance", "financing")
ADJUSTMENT_KINDS = ("insurance_writeoff", "discount", "writeoff", "charge", "other")
CLAIM_STATUSES = ("unsent", "hold", "sent", "received")

PATIENTS = TableSpec(
    "patients",
    key="patient_id",
    required=True,
    columns=(
        _id("patient_id"),
        PRACTICE,
        _text("first_name"),
        _text("last_name"),
        _text("phone", required=False),
        _text("email", required=False),
        _date("birth_date", required=False),
        _enum("status", PATIENT_STATUSES, required=False, default="active"),
        _date("first_visit_date", required=False),
        _text("referral_source", required=False),
    ),
)

TEAM = TableSpec(
    "team",
    key="member_id",
    columns=(_id("member_id"), PRACTICE, _text("name"), _enum("role", TEAM_ROLES)),
)

TREATMENT_PLANS = TableSpec(
    "treatment_plans",
    key="plan_id",
    columns=(
        _id("plan_id"),
        PRACTICE,
        _id("patient_id"),
        _date("presented_date"),
        _id("presenter_id", required=False),
        _enum("status", PLAN_STATUSES),
        _date("signed_date", required=False),
    ),
    references={"patient_id": "patients", "presenter_id": "team"},
)

PROCEDURES = TableSpec(
    "procedures",
    key="procedure_id",
    required=True,
    columns=(
        _id("procedure_id"),
        PRACTICE,
        _id("patient_id"),
        _id("plan_id", required=False),
        _id("provider_id", required=False),
        _text("code"),
        _text("description", required=False),
        _amount("fee"),
        _enum("status", PROCEDURE_STATUSES),
        _date("diagnosed_date"),
        _date("scheduled_date", required=False),
        _date("appointment_date", required=False),
        _date("completed_date", required=False),
    ),
    references={"patient_id": "patients", "plan_id": "treatment_plans", "provider_id": "team"},
)

APPOINTMENTS = TableSpec(
    "appointments",
    key="appointment_id",
    columns=(
        _id("appointment_id"),
        PRACTICE,
        _id("patient_id"),
        Column("start", Kind.DATETIME),
        _enum("status", APPOINTMENT_STATUSES),
        Column("booked_at", Kind.DATETIME, required=False),
        _id("provider_id", required=False),
    ),
    references={"patient_id": "patients", "provider_id": "team"},
)

PAYMENTS = TableSpec(
    "payments",
    key="payment_id",
    columns=(
        _id("payment_id"),
        PRACTICE,
        _id("patient_id"),
        _date("date"),
        _amount("amount"),
        _enum("source", PAYMENT_SOURCES),
        _text("method", required=False),
    ),
    references={"patient_id": "patients"},
)

ADJUSTMENTS = TableSpec(
    "adjustments",
    key="adjustment_id",
    columns=(
        _id("adjustment_id"),
        PRACTICE,
        _id("patient_id"),
        _date("date"),
        _amount("amount"),
        _enum("kind", ADJUSTMENT_KINDS),
    ),
    references={"patient_id": "patients"},
)

CLAIMS = TableSpec(
    "claims",
    key="claim_id",
    columns=(
        _id("claim_id"),
        PRACTICE,
        _id("patient_id"),
        _date("service_date"),
        _date("sent_date", required=False),
        _enum("status", CLAIM_STATUSES),
        _amount("billed_amount"),
        _amount("estimate_amount", required=False),
        _amount("paid_amount", required=False),
        _date("received_date", required=False),
        _text("carrier", required=False),
    ),
    references={"patient_id": "patients"},
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        PATIENTS, TEAM, TREATMENT_PLANS, PROCEDURES, APPOINTMENTS, PAYMENTS, ADJUSTMENTS, CLAIMS,
    )
}
"""Every table, in load order (referenced tables before the tables that refer to them)."""


LOAD_DTYPES = {
    Kind.ID: pl.String,
    Kind.TEXT: pl.String,
    Kind.ENUM: pl.String,
    Kind.DATE: pl.Date,
    Kind.DATETIME: pl.Datetime("us"),
    Kind.AMOUNT: pl.Decimal(18, 4),
}
"""The type of each kind of column in a ReadResult frame."""
