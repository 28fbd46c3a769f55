"""Mapping Open Dental tables (text frames) to the standard tables (spec: opendental.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from pipelines.model import FileInfo, ReadResult, Reject
from pipelines.opendental.catalogue import (
    APPOINTMENT_NOTES,
    APPOINTMENT_STATUS,
    CLAIM_STATUS,
    DEFAULT_PRACTICE,
    FINANCING,
    FORMAT,
    INSURANCE_PAID,
    INSURANCE_WRITEOFF,
    NEEDED_COLUMNS,
    NEW_PATIENT_EXCLUDED_CODES,
    OD_TABLES,
    PATIENT_DELETED,
    PATIENT_STATUS,
    PROCEDURE_STATUS,
    SCHEDULED_APPOINTMENTS,
    SOURCES,
    empty_table,
)
from pipelines.opendental.raw import raw_for_reconcile
from pipelines.opendental.values import (
    TYPED,
    _bad_date,
    _bad_datetime,
    _bad_number,
    _bool,
    _cents,
    _clean,
    _date,
    _datetime,
    _float,
    _int,
    _key,
    _typed,
)
from pipelines.schema import TABLES


@dataclass
class _Context:
    practice: str
    clinics_on: bool
    today: dt.date
    file_names: Mapping[str, str]
    rejects: list[Reject]
    notes: list[str]
    deleted: pl.DataFrame  # PatNum of deleted patients
    lines: pl.DataFrame | None = None  # claimproc rows for payments and write-offs

    def practice_of(self, name: str) -> pl.Expr:
        """practice_id from a ClinicNum column."""
        clinic = _key(name)
        if not self.clinics_on:
            return pl.lit(self.practice)
        return pl.when(clinic.is_null()).then(pl.lit(self.practice)).otherwise(clinic)


def _reason(checks: list[tuple[pl.Expr, pl.Expr | str]]) -> pl.Expr:
    return pl.coalesce(
        [pl.when(bad).then(msg if isinstance(msg, pl.Expr) else pl.lit(msg)) for bad, msg in checks]
        + [pl.lit(None, dtype=pl.Utf8)]
    )


def _code_message(column: str, allowed: Mapping) -> tuple[pl.Expr, pl.Expr]:
    value = _clean(column)
    known = [str(code) for code in allowed]
    bad = value.is_null() | ~value.is_in(known)
    return bad, pl.concat_str(
        [
            pl.lit(f"unknown {column} "),
            value.fill_null("(empty)"),
            pl.lit(f" (expected one of {', '.join(known)})"),
        ]
    )


def _split(
    ctx: _Context,
    frame: pl.DataFrame,
    *,
    od_table: str,
    table: str,
    checks: list[tuple[pl.Expr, pl.Expr | str]],
) -> pl.DataFrame:
    """Quarantine the rows failing a check (first failing reason wins); return the others."""
    key = OD_TABLES[od_table].key
    if not checks or frame.is_empty():
        return frame
    marked = frame.with_columns(_reason(checks).alias("_reason"))
    bad = marked.filter(pl.col("_reason").is_not_null())
    for row in bad.iter_rows(named=True):
        raw = {column: row.get(column) for column in OD_TABLES[od_table].columns}
        ctx.rejects.append(
            Reject(
                table=table,
                file=ctx.file_names.get(od_table, od_table),
                row=row["_row"],
                key=row[key],
                column=None,
                value=None,
                reason=f"{od_table} {key} {row[key]}: {row['_reason']}",
                row_data=raw,
            )
        )
    return marked.filter(pl.col("_reason").is_null()).drop("_reason")


def _drop_deleted(
    ctx: _Context, frame: pl.DataFrame, od_table: str, column: str = "PatNum"
) -> pl.DataFrame:
    if ctx.deleted.is_empty() or frame.is_empty():
        return frame
    deleted = ctx.deleted.get_column("PatNum")
    kept = frame.filter(~_key(column).is_in(deleted.implode()).fill_null(False))
    dropped = frame.height - kept.height
    if dropped:
        ctx.notes.append(f"{dropped} {od_table} row(s) of deleted patients not loaded")
    return kept


def _finish(
    ctx: _Context, frame: pl.DataFrame, table: str, od_table: str, patients: pl.Series | None
) -> pl.DataFrame:
    """Quarantine duplicate keys and unknown patients; return the standard columns in order."""
    spec = TABLES[table]
    key = OD_TABLES[od_table].key
    checks: list[tuple[pl.Expr, pl.Expr | str]] = [
        (pl.col(spec.key).is_duplicated(), f"{key} appears more than once"),
    ]
    if patients is not None and "patient_id" in spec.column_names:
        checks.append(
            (
                ~pl.col("patient_id").is_in(patients.implode()).fill_null(False),
                pl.concat_str(
                    [
                        pl.lit("PatNum "),
                        pl.col("patient_id").fill_null("0"),
                        pl.lit(" is not a loaded patient"),
                    ]
                ),
            )
        )
    frame = _split(ctx, frame, od_table=od_table, table=table, checks=checks)
    return frame.select("_row", *spec.column_names)


def map_tables(
    tables: Mapping[str, pl.DataFrame],
    *,
    practice_id: str | None = None,
    today: dt.date | None = None,
    files: list[FileInfo] | None = None,
    file_names: Mapping[str, str] | None = None,
    spreadsheet_rows: bool = False,
) -> ReadResult:
    """Map Open Dental tables (text frames of the columns in OD_TABLES) to the standard tables."""
    present = set(tables)
    tables = {table: _typed(table, tables.get(table, empty_table(table))) for table in OD_TABLES}
    clinics = tables["clinic"].filter(_key("ClinicNum").is_not_null())
    ctx = _Context(
        practice=practice_id or DEFAULT_PRACTICE,
        clinics_on=not clinics.is_empty(),
        today=today or dt.date.today(),
        file_names=file_names or {},
        rejects=[],
        notes=[],
        deleted=tables["patient"]
        .filter(_int("PatStatus") == PATIENT_DELETED)
        .select(_key("PatNum").alias("PatNum")),
    )
    result = ReadResult(fmt=FORMAT, files=list(files or []))
    _shape_notes(ctx, tables, present)
    tables = _money_practice(ctx, tables)
    for number, abbr, description in clinics.select(
        _key("ClinicNum").alias("n"), _clean("Abbr").alias("abbr"), _clean("Description")
    ).iter_rows():
        result.notes.append(f"practice {number} = Open Dental clinic {abbr or '(no abbreviation)'}")
        if abbr or description:
            result.practice_names[number] = abbr or description
    if not ctx.deleted.is_empty():
        ctx.notes.append(
            f"{ctx.deleted.height} deleted patient(s) (PatStatus 4) counted, not loaded"
        )

    patients = _patients(ctx, tables)
    patient_ids = patients.get_column("patient_id")
    patient_practice = patients.select("patient_id", "practice_id")
    providers, users = _team(ctx, tables)
    plans, first_plan = _plans(ctx, tables, patient_practice)
    procedures = _procedures(ctx, tables, first_plan)
    appointments = _appointments(ctx, tables)
    patient_money, insurance_money = _payments(ctx, tables)
    adjustments, writeoffs = _adjustments(ctx, tables)
    claims = _claims(ctx, tables)

    def finish(frame: pl.DataFrame, table: str, od_table: str) -> pl.DataFrame:
        return _finish(ctx, frame, table, od_table, None if table == "team" else patient_ids)

    # each standard table from its Open Dental table(s); reasons name the right one
    parts = {
        "patients": [patients],
        "team": [finish(providers, "team", "provider"), finish(users, "team", "userod")],
        "treatment_plans": [finish(plans, "treatment_plans", "treatplan")],
        "procedures": [finish(procedures, "procedures", "procedurelog")],
        "appointments": [finish(appointments, "appointments", "appointment")],
        "payments": [
            finish(patient_money, "payments", "paysplit"),
            finish(insurance_money, "payments", "claimproc"),
        ],
        "adjustments": [
            finish(adjustments, "adjustments", "adjustment"),
            finish(writeoffs, "adjustments", "claimproc"),
        ],
        "claims": [finish(claims, "claims", "claim")],
    }
    # A standard table is only handed over when an Open Dental table it comes from was read,
    # so the loader can tell "no team in this export" from "an empty team".
    for name, spec in TABLES.items():
        if not present & set(SOURCES[name]):
            continue
        frame = pl.concat(parts[name])
        result.frames[name] = frame.select(spec.column_names)
        if spreadsheet_rows and len(parts[name]) == 1:
            result.row_numbers[name] = frame.get_column("_row").cast(pl.Int64)
    result.rejects = ctx.rejects
    result.notes += ctx.notes
    for name, frame in result.frames.items():
        refused = {(r.file, r.row) for r in ctx.rejects if r.table == name}
        result.read_counts[name] = frame.height + len(refused)
    result.extra_tables = raw_for_reconcile(ctx, tables)
    return result


MONEY_TABLES = ("paysplit", "adjustment", "claimproc")


def _money_practice(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Add ``_practice`` to the money tables: the row's clinic, else its procedure's, else its
    patient's, else the practice given at load (ClinicNum 0 is common on splits and adjustments).
    """
    out = dict(tables)
    if not ctx.clinics_on:
        for table in MONEY_TABLES:
            out[table] = tables[table].with_columns(pl.lit(ctx.practice).alias("_practice"))
        return out
    proc_clinic = (
        tables["procedurelog"]
        .select(_key("ProcNum").alias("_ProcNum"), _key("ClinicNum").alias("_proc_clinic"))
        .filter(pl.col("_ProcNum").is_not_null() & pl.col("_proc_clinic").is_not_null())
        .unique("_ProcNum", keep="first")
    )
    pat_clinic = (
        tables["patient"]
        .select(_key("PatNum").alias("_PatNum"), _key("ClinicNum").alias("_pat_clinic"))
        .filter(pl.col("_PatNum").is_not_null() & pl.col("_pat_clinic").is_not_null())
        .unique("_PatNum", keep="first")
    )
    for table in MONEY_TABLES:
        frame = (
            tables[table]
            .with_columns(_key("ProcNum").alias("_ProcNum"), _key("PatNum").alias("_PatNum"))
            .join(proc_clinic, on="_ProcNum", how="left", maintain_order="left")
            .join(pat_clinic, on="_PatNum", how="left", maintain_order="left")
        )
        own = _key("ClinicNum")
        other = pl.coalesce("_proc_clinic", "_pat_clinic")
        money = frame.filter(
            own.is_null()
            & (_int("Status").is_in(INSURANCE_WRITEOFF) if table == "claimproc" else True)
        )
        moved = money.filter(other.is_not_null())
        lost = money.filter(other.is_null())
        if moved.height:
            ctx.notes.append(
                f"{moved.height} {table} row(s) with no clinic (ClinicNum 0) counted in the "
                "clinic of their procedure, else of their patient"
            )
        if lost.height:
            ctx.notes.append(
                f"warning: {lost.height} {table} row(s) sit in no clinic (ClinicNum 0, and "
                f"neither their procedure nor their patient has one): counted in practice "
                f"{ctx.practice}, so no clinic's numbers include them"
            )
        out[table] = frame.with_columns(
            pl.coalesce(own, "_proc_clinic", "_pat_clinic", pl.lit(ctx.practice)).alias("_practice")
        ).drop("_ProcNum", "_PatNum", "_proc_clinic", "_pat_clinic")
    return out


def _shape_notes(ctx: _Context, tables: Mapping[str, pl.DataFrame], present: set[str]) -> None:
    """Notes on shapes other tools write: blank money read as 0, needed columns all blank."""
    for table, kinds in TYPED.items():
        frame = tables[table]
        if table not in present or frame.is_empty():
            continue
        for column in kinds.get("float", ()):
            blank = frame.select(_clean(column).is_null().sum()).item()
            if blank:
                ctx.notes.append(f"{table}.{column} blank on {blank} row(s): read as 0")
    for (table, column), consequence in NEEDED_COLUMNS.items():
        frame = tables[table]
        if table not in present or frame.is_empty():
            continue
        value = pl.col(f"{column}__v") if f"{column}__v" in frame.columns else _clean(column)
        if frame.select(value.is_null().all()).item():
            ctx.notes.append(f"warning: {table}.{column} is blank on every row: {consequence}")


def _patients(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    patient = tables["patient"].filter((_int("PatStatus") != PATIENT_DELETED).fill_null(True))
    patient = _split(
        ctx,
        patient,
        od_table="patient",
        table="patients",
        checks=[
            (_key("PatNum").is_null(), "PatNum is blank"),
            _code_message("PatStatus", PATIENT_STATUS),
            (
                _bad_date("Birthdate"),
                pl.concat_str([pl.lit("unparseable Birthdate "), pl.col("Birthdate")]),
            ),
        ],
    )
    codes = tables["procedurecode"].select(
        _key("CodeNum").alias("CodeNum"), _clean("ProcCode").alias("code")
    )
    first_visit = (
        tables["procedurelog"]
        .select(
            _key("PatNum").alias("patient_id"),
            _int("ProcStatus").alias("status"),
            _date("ProcDate").alias("date"),
            _key("CodeNum").alias("CodeNum"),
        )
        .join(codes, on="CodeNum", how="left")
        .filter(
            (pl.col("status") == 2)
            & pl.col("date").is_not_null()
            & ~pl.col("code").fill_null("").is_in(NEW_PATIENT_EXCLUDED_CODES)
        )
        .group_by("patient_id")
        .agg(pl.col("date").min().alias("first_visit_date"))
    )
    referral = tables["referral"].select(
        _key("ReferralNum").alias("ReferralNum"),
        pl.coalesce(
            _clean("BusinessName"),
            pl.concat_str([_clean("FName"), _clean("LName")], separator=" ", ignore_nulls=True)
            .str.strip_chars()
            .replace("", None),
        ).alias("referral_source"),
    )
    referrals = (
        tables["refattach"]
        .filter(_int("RefType") == 1)
        .select(
            _key("PatNum").alias("patient_id"),
            _key("ReferralNum").alias("ReferralNum"),
            _int("ItemOrder").fill_null(0).alias("order"),
            _key("RefAttachNum").alias("attach"),
        )
        .sort("order", pl.col("attach").str.len_chars(), "attach")
        .unique("patient_id", keep="first", maintain_order=True)
        .join(referral, on="ReferralNum", how="left")
        .select("patient_id", "referral_source")
    )
    status = _int("PatStatus").replace_strict(PATIENT_STATUS, default=None, return_dtype=pl.Utf8)
    return (
        patient.select(
            "_row",
            "PatNum",
            _key("PatNum").alias("patient_id"),
            ctx.practice_of("ClinicNum").alias("practice_id"),
            _clean("FName").alias("first_name"),
            _clean("LName").alias("last_name"),
            pl.coalesce(_clean("WirelessPhone"), _clean("HmPhone"), _clean("WkPhone")).alias(
                "phone"
            ),
            _clean("Email").alias("email"),
            _date("Birthdate").alias("birth_date"),
            status.alias("status"),
        )
        .join(first_visit, on="patient_id", how="left")
        .join(referrals, on="patient_id", how="left")
        .pipe(lambda frame: _finish(ctx, frame, "patients", "patient", None))
    )


def _team(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    providers = (
        tables["provider"]
        .filter(_key("ProvNum").is_not_null())
        .select(
            "_row",
            _key("ProvNum").alias("ProvNum"),
            pl.concat_str([pl.lit("prov-"), _key("ProvNum")]).alias("member_id"),
            pl.lit(ctx.practice).alias("practice_id"),
            pl.coalesce(
                pl.concat_str([_clean("FName"), _clean("LName")], separator=" ", ignore_nulls=True)
                .str.strip_chars()
                .replace("", None),
                _clean("Abbr"),
                pl.concat_str([pl.lit("provider "), _key("ProvNum")]),
            ).alias("name"),
            pl.when(_bool("IsSecondary"))
            .then(pl.lit("hygienist"))
            .otherwise(pl.lit("dentist"))
            .alias("role"),
        )
    )
    users = (
        tables["userod"]
        .filter(_key("UserNum").is_not_null())
        .select(
            "_row",
            _key("UserNum").alias("UserNum"),
            pl.concat_str([pl.lit("user-"), _key("UserNum")]).alias("member_id"),
            pl.lit(ctx.practice).alias("practice_id"),
            pl.coalesce(
                _clean("UserName"), pl.concat_str([pl.lit("user "), _key("UserNum")])
            ).alias("name"),
            pl.lit("other").alias("role"),
        )
    )
    return providers, users


def _plans(
    ctx: _Context, tables: Mapping[str, pl.DataFrame], patient_practice: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    saved = tables["treatplan"].filter(_int("TPStatus") == 0)
    saved = _drop_deleted(ctx, saved, "treatplan")
    saved = _split(
        ctx,
        saved,
        od_table="treatplan",
        table="treatment_plans",
        checks=[
            (_key("TreatPlanNum").is_null(), "TreatPlanNum is blank"),
            (_bad_date("DateTP"), pl.concat_str([pl.lit("unparseable DateTP "), pl.col("DateTP")])),
            (_date("DateTP").is_null(), "a saved plan without DateTP"),
            (
                _bad_datetime("DateTSigned"),
                pl.concat_str([pl.lit("unparseable DateTSigned "), pl.col("DateTSigned")]),
            ),
        ],
    )
    plans = (
        saved.select(
            "_row",
            "TreatPlanNum",
            _key("TreatPlanNum").alias("plan_id"),
            _key("PatNum").alias("patient_id"),
            _date("DateTP").alias("presented_date"),
            pl.concat_str([pl.lit("user-"), _key("UserNumPresenter")]).alias("presenter_id"),
            pl.lit("saved").alias("status"),
            _datetime("DateTSigned").dt.date().alias("signed_date"),
        )
        .join(patient_practice, on="patient_id", how="left")
        .with_columns(pl.col("practice_id").fill_null(ctx.practice))
    )
    first_plan = (
        tables["proctp"]
        .select(_key("ProcNumOrig").alias("procedure_id"), _key("TreatPlanNum").alias("plan_id"))
        .join(plans.select("plan_id", "presented_date"), on="plan_id", how="inner")
        .sort("presented_date", pl.col("plan_id").str.len_chars(), "plan_id")
        .unique("procedure_id", keep="first", maintain_order=True)
        .select("procedure_id", "plan_id")
    )
    return plans, first_plan


def _procedures(
    ctx: _Context, tables: Mapping[str, pl.DataFrame], first_plan: pl.DataFrame
) -> pl.DataFrame:
    procs = _drop_deleted(ctx, tables["procedurelog"], "procedurelog")
    codes = (
        tables["procedurecode"]
        .select(
            _key("CodeNum").alias("CodeNum_"),
            _clean("ProcCode").alias("code"),
            _clean("Descript").alias("description"),
        )
        .unique("CodeNum_", keep="first")
    )
    appointments = (
        tables["appointment"]
        .select(
            _key("AptNum").alias("AptNum_"),
            _int("AptStatus").alias("apt_status"),
            _datetime("AptDateTime").alias("apt_start"),
            _datetime("SecDateTEntry").dt.date().alias("apt_entered"),
        )
        .unique("AptNum_", keep="first")
    )
    procs = procs.with_columns(
        _key("CodeNum").alias("CodeNum_"), _key("AptNum").alias("AptNum_")
    ).join(codes, on="CodeNum_", how="left")
    procs = _split(
        ctx,
        procs,
        od_table="procedurelog",
        table="procedures",
        checks=[
            (_key("ProcNum").is_null(), "ProcNum is blank"),
            _code_message("ProcStatus", PROCEDURE_STATUS),
            (
                pl.col("code").is_null(),
                pl.concat_str(
                    [
                        pl.lit("CodeNum "),
                        pl.col("CodeNum").fill_null(""),
                        pl.lit(" not in procedurecode"),
                    ]
                ),
            ),
            (
                _bad_number("ProcFee"),
                pl.concat_str([pl.lit("unparseable ProcFee "), pl.col("ProcFee")]),
            ),
            (
                _bad_date("ProcDate"),
                pl.concat_str([pl.lit("unparseable ProcDate "), pl.col("ProcDate")]),
            ),
            (_bad_date("DateTP"), pl.concat_str([pl.lit("unparseable DateTP "), pl.col("DateTP")])),
            (
                _date("DateTP").is_null() & _date("ProcDate").is_null(),
                "both DateTP and ProcDate are blank",
            ),
            (
                (_int("ProcStatus") == 2) & _date("ProcDate").is_null(),
                "completed (ProcStatus 2) without ProcDate",
            ),
        ],
    )
    units = _int("UnitQty").fill_null(1) + _int("BaseUnits").fill_null(0)
    diagnosed = pl.coalesce(_date("DateTP"), _date("ProcDate"))
    frame = procs.join(appointments, on="AptNum_", how="left").select(
        "_row",
        "ProcNum",
        _key("ProcNum").alias("procedure_id"),
        ctx.practice_of("ClinicNum").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        pl.concat_str([pl.lit("prov-"), _key("ProvNum")]).alias("provider_id"),
        "code",
        "description",
        _cents(
            _float("ProcFee").fill_null(0.0) * pl.when(units == 0).then(1).otherwise(units)
        ).alias("fee"),
        _int("ProcStatus")
        .replace_strict(PROCEDURE_STATUS, default=None, return_dtype=pl.Utf8)
        .alias("status"),
        diagnosed.alias("diagnosed_date"),
        pl.when(_int("ProcStatus") == 2).then(_date("ProcDate")).alias("completed_date"),
        pl.when(
            pl.col("apt_status").is_in(SCHEDULED_APPOINTMENTS) & pl.col("apt_start").is_not_null()
        )
        .then(pl.col("apt_start").dt.date())
        .alias("appointment_date"),
        "apt_entered",
    )
    entered = pl.coalesce(
        pl.col("apt_entered"),
        pl.min_horizontal(pl.col("appointment_date"), pl.lit(ctx.today)),
    )
    scheduled = pl.min_horizontal(
        pl.max_horizontal(pl.col("diagnosed_date"), entered), pl.col("appointment_date")
    )
    return frame.with_columns(
        pl.when(pl.col("appointment_date").is_not_null()).then(scheduled).alias("scheduled_date")
    ).join(first_plan, on="procedure_id", how="left")


def _appointments(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    appointment = _drop_deleted(ctx, tables["appointment"], "appointment")
    notes = appointment.filter(_int("AptStatus").is_in(APPOINTMENT_NOTES).fill_null(False))
    if notes.height:
        ctx.notes.append(
            f"{notes.height} appointment row(s) that are notes (AptStatus 0, 7, 8) not loaded"
        )
    appointment = appointment.filter(~_int("AptStatus").is_in(APPOINTMENT_NOTES).fill_null(False))
    appointment = _split(
        ctx,
        appointment,
        od_table="appointment",
        table="appointments",
        checks=[
            (_key("AptNum").is_null(), "AptNum is blank"),
            _code_message("AptStatus", APPOINTMENT_STATUS),
            (
                _bad_datetime("AptDateTime"),
                pl.concat_str([pl.lit("unparseable AptDateTime "), pl.col("AptDateTime")]),
            ),
            (_datetime("AptDateTime").is_null(), "AptDateTime is blank"),
            (
                _bad_datetime("SecDateTEntry"),
                pl.concat_str([pl.lit("unparseable SecDateTEntry "), pl.col("SecDateTEntry")]),
            ),
        ],
    )
    return appointment.select(
        "_row",
        "AptNum",
        _key("AptNum").alias("appointment_id"),
        ctx.practice_of("ClinicNum").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _datetime("AptDateTime").alias("start"),
        _int("AptStatus")
        .replace_strict(APPOINTMENT_STATUS, default=None, return_dtype=pl.Utf8)
        .alias("status"),
        _datetime("SecDateTEntry").alias("booked_at"),
        pl.concat_str([pl.lit("prov-"), _key("ProvNum")]).alias("provider_id"),
    )


def _definitions(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    return (
        tables["definition"]
        .select(
            _key("DefNum").alias("DefNum_"),
            _clean("ItemName").alias("def_name"),
            _clean("ItemValue").alias("def_value"),
        )
        .unique("DefNum_", keep="first")
    )


def _insurance_lines(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """claimproc rows (Status 1, 4, 7) not on a PreAuth claim, of live patients."""
    if ctx.lines is not None:
        return ctx.lines
    preauth = (
        tables["claim"]
        .filter(_clean("ClaimType").str.to_lowercase() == "preauth")
        .select(_key("ClaimNum").alias("ClaimNum_"))
    )
    lines = tables["claimproc"].with_columns(_key("ClaimNum").alias("ClaimNum_"))
    lines = lines.join(preauth, on="ClaimNum_", how="anti").filter(
        _int("Status").is_in(INSURANCE_WRITEOFF).fill_null(False)
    )
    ctx.lines = _drop_deleted(ctx, lines, "claimproc")
    return ctx.lines


def _payments(
    ctx: _Context, tables: Mapping[str, pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    payment = tables["payment"].select(
        _key("PayNum").alias("PayNum_"), _key("PayType").alias("PayType_")
    )
    splits = (
        tables["paysplit"]
        .with_columns(_key("PayNum").alias("PayNum_"))
        .join(payment.unique("PayNum_", keep="first"), on="PayNum_", how="left")
    )
    transfers = splits.filter(
        pl.col("PayType_").is_null() & pl.col("PayNum_").is_in(payment["PayNum_"].implode())
    )
    if transfers.height:
        ctx.notes.append(
            f"{transfers.height} paysplit row(s) of income transfers (PayType 0) not loaded"
        )
    splits = splits.join(transfers.select("SplitNum"), on="SplitNum", how="anti")
    splits = _drop_deleted(ctx, splits, "paysplit")
    splits = _split(
        ctx,
        splits,
        od_table="paysplit",
        table="payments",
        checks=[
            (_key("SplitNum").is_null(), "SplitNum is blank"),
            (
                pl.col("PayNum_").is_null()
                | ~pl.col("PayNum_").is_in(payment["PayNum_"].implode()),
                pl.concat_str(
                    [pl.lit("PayNum "), pl.col("PayNum").fill_null(""), pl.lit(" not in payment")]
                ),
            ),
            (
                _bad_number("SplitAmt") | _float("SplitAmt").is_null(),
                pl.concat_str([pl.lit("unparseable SplitAmt "), pl.col("SplitAmt").fill_null("")]),
            ),
            (
                _bad_date("DatePay"),
                pl.concat_str([pl.lit("unparseable DatePay "), pl.col("DatePay")]),
            ),
            (_date("DatePay").is_null(), "DatePay is blank"),
        ],
    )
    method = splits.join(_definitions(tables), left_on="PayType_", right_on="DefNum_", how="left")
    unknown = method.filter(pl.col("PayType_").is_not_null() & pl.col("def_name").is_null())
    if unknown.height:
        ctx.notes.append(
            f"warning: {unknown.height} paysplit row(s) of payments whose type (PayType) is not "
            "in definition: loaded without a method and counted as patient money, so "
            "financing and per-method totals miss them"
        )
    patient_money = method.select(
        "_row",
        pl.col("SplitNum"),
        pl.concat_str([pl.lit("split-"), _key("SplitNum")]).alias("payment_id"),
        pl.col("_practice").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _date("DatePay").alias("date"),
        _cents(_float("SplitAmt")).alias("amount"),
        pl.when(pl.col("def_name").fill_null("").str.contains(FINANCING))
        .then(pl.lit("financing"))
        .otherwise(pl.lit("patient"))
        .alias("source"),
        pl.col("def_name").alias("method"),
    )
    lines = _insurance_lines(ctx, tables).filter(_int("Status").is_in(INSURANCE_PAID))
    lines = _split(
        ctx,
        lines,
        od_table="claimproc",
        table="payments",
        checks=[
            (
                _bad_number("InsPayAmt"),
                pl.concat_str([pl.lit("unparseable InsPayAmt "), pl.col("InsPayAmt")]),
            ),
            (_bad_date("DateCP"), pl.concat_str([pl.lit("unparseable DateCP "), pl.col("DateCP")])),
            (
                (_cents(_float("InsPayAmt").fill_null(0.0)) != 0) & _date("DateCP").is_null(),
                "paid but DateCP is blank",
            ),
        ],
    ).filter(_cents(_float("InsPayAmt").fill_null(0.0)) != 0)
    insurance = lines.select(
        "_row",
        pl.col("ClaimProcNum"),
        pl.concat_str([pl.lit("cp-"), _key("ClaimProcNum")]).alias("payment_id"),
        pl.col("_practice").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _date("DateCP").alias("date"),
        _cents(_float("InsPayAmt")).alias("amount"),
        pl.lit("insurance").alias("source"),
        pl.lit(None, dtype=pl.Utf8).alias("method"),
    )
    return patient_money, insurance


def _adjustments(
    ctx: _Context, tables: Mapping[str, pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    adjustment = _drop_deleted(ctx, tables["adjustment"], "adjustment")
    adjustment = _split(
        ctx,
        adjustment,
        od_table="adjustment",
        table="adjustments",
        checks=[
            (_key("AdjNum").is_null(), "AdjNum is blank"),
            (
                _bad_number("AdjAmt") | _float("AdjAmt").is_null(),
                pl.concat_str([pl.lit("unparseable AdjAmt "), pl.col("AdjAmt").fill_null("")]),
            ),
            (
                _bad_date("AdjDate"),
                pl.concat_str([pl.lit("unparseable AdjDate "), pl.col("AdjDate")]),
            ),
            (_date("AdjDate").is_null(), "AdjDate is blank"),
        ],
    )
    amount = _cents(_float("AdjAmt"))
    typed = adjustment.with_columns(_key("AdjType").alias("AdjType_")).join(
        _definitions(tables), left_on="AdjType_", right_on="DefNum_", how="left"
    )
    own = typed.select(
        "_row",
        pl.col("AdjNum"),
        _key("AdjNum").alias("adjustment_id"),
        pl.col("_practice").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _date("AdjDate").alias("date"),
        amount.alias("amount"),
        pl.when(
            (pl.col("def_value").fill_null("").str.to_lowercase() == "dp")
            | pl.col("def_name")
            .fill_null("")
            .str.to_lowercase()
            .str.contains("discount", literal=True)
        )
        .then(pl.lit("discount"))
        .when(amount < 0)
        .then(pl.lit("writeoff"))
        .otherwise(pl.lit("charge"))
        .alias("kind"),
    )
    lines = _split(
        ctx,
        _insurance_lines(ctx, tables),
        od_table="claimproc",
        table="adjustments",
        checks=[
            (
                _bad_number("WriteOff"),
                pl.concat_str([pl.lit("unparseable WriteOff "), pl.col("WriteOff")]),
            ),
            (_bad_date("DateCP"), pl.concat_str([pl.lit("unparseable DateCP "), pl.col("DateCP")])),
            (
                (_cents(_float("WriteOff").fill_null(0.0)) != 0) & _date("DateCP").is_null(),
                "write-off but DateCP is blank",
            ),
        ],
    ).filter(_cents(_float("WriteOff").fill_null(0.0)) != 0)
    writeoffs = lines.select(
        "_row",
        pl.col("ClaimProcNum"),
        pl.concat_str([pl.lit("wo-"), _key("ClaimProcNum")]).alias("adjustment_id"),
        pl.col("_practice").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _date("DateCP").alias("date"),
        (-_cents(_float("WriteOff"))).alias("amount"),
        pl.lit("insurance_writeoff").alias("kind"),
    )
    return own, writeoffs


def _carriers(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """PlanNum -> the CarrierName of the plan's carrier (plans with no named carrier left out)."""
    carriers = (
        tables["carrier"]
        .select(_key("CarrierNum").alias("CarrierNum_"), _clean("CarrierName").alias("carrier"))
        .unique("CarrierNum_", keep="first")
    )
    return (
        tables["insplan"]
        .select(_key("PlanNum").alias("PlanNum_"), _key("CarrierNum").alias("CarrierNum_"))
        .unique("PlanNum_", keep="first")
        .join(carriers, on="CarrierNum_", how="inner")
        .filter(pl.col("carrier").is_not_null())
        .select("PlanNum_", "carrier")
    )


def _claims(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    claim = tables["claim"].filter(
        _clean("ClaimType").fill_null("").str.to_lowercase() != "preauth"
    )
    claim = _drop_deleted(ctx, claim, "claim")
    claim = _split(
        ctx,
        claim,
        od_table="claim",
        table="claims",
        checks=[
            (_key("ClaimNum").is_null(), "ClaimNum is blank"),
            (
                ~_clean("ClaimStatus")
                .str.to_uppercase()
                .is_in(list(CLAIM_STATUS))
                .fill_null(False),
                pl.concat_str(
                    [pl.lit("unknown ClaimStatus "), pl.col("ClaimStatus").fill_null("(empty)")]
                ),
            ),
            (_date("DateService").is_null(), "DateService is blank or unparseable"),
            (
                _bad_date("DateSent"),
                pl.concat_str([pl.lit("unparseable DateSent "), pl.col("DateSent")]),
            ),
            (
                _bad_date("DateReceived"),
                pl.concat_str([pl.lit("unparseable DateReceived "), pl.col("DateReceived")]),
            ),
            (_bad_number("ClaimFee") | _float("ClaimFee").is_null(), "unparseable ClaimFee"),
            (_bad_number("InsPayEst"), "unparseable InsPayEst"),
            (_bad_number("InsPayAmt"), "unparseable InsPayAmt"),
        ],
    )
    estimate = _float("InsPayEst")
    claim = claim.with_columns(_key("PlanNum").alias("PlanNum_")).join(
        _carriers(tables), on="PlanNum_", how="left", maintain_order="left"
    )
    return claim.select(
        "_row",
        "ClaimNum",
        _key("ClaimNum").alias("claim_id"),
        ctx.practice_of("ClinicNum").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _date("DateService").alias("service_date"),
        _date("DateSent").alias("sent_date"),
        _clean("ClaimStatus")
        .str.to_uppercase()
        .replace_strict(CLAIM_STATUS, default=None)
        .alias("status"),
        _cents(_float("ClaimFee")).alias("billed_amount"),
        pl.when(estimate == -1).then(None).otherwise(_cents(estimate)).alias("estimate_amount"),
        _cents(_float("InsPayAmt")).alias("paid_amount"),
        _date("DateReceived").alias("received_date"),
        "carrier",
    )
