"""Raw Open Dental rows kept beside the standard tables, to tie out to Open Dental's reports."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.model import ReadResult
from pipelines.opendental.values import _clean, _date, _float, _int, _key

if TYPE_CHECKING:
    from pipelines.opendental.mapping import _Context


def raw_for_reconcile(ctx: _Context, tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The raw Open Dental rows reconciliation needs (sql/schema/003_opendental.sql)."""
    codes = tables["procedurecode"].select(
        _key("CodeNum").alias("code_num"), _clean("ProcCode").alias("proc_code")
    )
    payment = tables["payment"].select(
        _key("PayNum").alias("pay_num"), _key("PayType").alias("pay_type")
    )
    claim = tables["claim"].select(
        _key("ClaimNum").alias("claim_num"), _clean("ClaimType").alias("claim_type")
    )
    return {
        "od_patient": tables["patient"]
        .select(
            _key("PatNum").alias("pat_num"),
            ctx.practice_of("ClinicNum").alias("practice_id"),
            _int("PatStatus").alias("pat_status"),
        )
        .filter(pl.col("pat_num").is_not_null())
        .unique("pat_num", keep="first", maintain_order=True),
        "od_procedurelog": tables["procedurelog"]
        .select(
            _key("ProcNum").alias("proc_num"),
            _key("PatNum").alias("pat_num"),
            ctx.practice_of("ClinicNum").alias("practice_id"),
            _int("ProcStatus").alias("proc_status"),
            _date("ProcDate").alias("proc_date"),
            _float("ProcFee").alias("proc_fee"),
            _int("UnitQty").alias("unit_qty"),
            _int("BaseUnits").alias("base_units"),
            _key("CodeNum").alias("code_num"),
        )
        .join(codes.unique("code_num", keep="first"), on="code_num", how="left")
        .drop("code_num")
        .filter(pl.col("proc_num").is_not_null())
        .unique("proc_num", keep="first", maintain_order=True),
        "od_adjustment": tables["adjustment"]
        .select(
            _key("AdjNum").alias("adj_num"),
            _key("PatNum").alias("pat_num"),
            pl.col("_practice").alias("practice_id"),
            _date("AdjDate").alias("adj_date"),
            _float("AdjAmt").alias("adj_amt"),
        )
        .filter(pl.col("adj_num").is_not_null())
        .unique("adj_num", keep="first", maintain_order=True),
        "od_paysplit": tables["paysplit"]
        .select(
            _key("SplitNum").alias("split_num"),
            _key("PatNum").alias("pat_num"),
            pl.col("_practice").alias("practice_id"),
            _date("DatePay").alias("date_pay"),
            _float("SplitAmt").alias("split_amt"),
            _key("UnearnedType").alias("unearned_type"),
            _key("PayNum").alias("pay_num"),
        )
        .join(payment.unique("pay_num", keep="first"), on="pay_num", how="left")
        .drop("pay_num")
        .filter(pl.col("split_num").is_not_null())
        .unique("split_num", keep="first", maintain_order=True),
        "od_claimproc": tables["claimproc"]
        .select(
            _key("ClaimProcNum").alias("claim_proc_num"),
            _key("PatNum").alias("pat_num"),
            pl.col("_practice").alias("practice_id"),
            _int("Status").alias("status"),
            _date("DateCP").alias("date_cp"),
            _date("ProcDate").alias("proc_date"),
            _float("InsPayAmt").alias("ins_pay_amt"),
            _float("WriteOff").alias("write_off"),
            _key("ClaimPaymentNum").alias("claim_payment_num"),
            _key("ClaimNum").alias("claim_num"),
        )
        .join(claim.unique("claim_num", keep="first"), on="claim_num", how="left")
        .drop("claim_num")
        .filter(pl.col("claim_proc_num").is_not_null())
        .unique("claim_proc_num", keep="first", maintain_order=True),
    }


STORE_SQL = Path(__file__).with_name("store.sql")
RAW_TABLES = ("od_patient", "od_procedurelog", "od_adjustment", "od_paysplit", "od_claimproc")


def store_opendental_raw(
    con, result: ReadResult, *, batch_id: int, source_id: str
) -> dict[str, int]:
    """Replace the source's od_* rows with those of ``result``; return row counts."""
    if not all(table in result.extra_tables for table in RAW_TABLES):
        return {}
    relations = {"od_load": pl.DataFrame({"source_id": [source_id], "batch_id": [batch_id]})}
    relations |= {f"new_{table}": result.extra_tables[table] for table in RAW_TABLES}
    for name, frame in relations.items():
        con.register(name, frame.to_arrow())
    try:
        con.execute(STORE_SQL.read_text())
    finally:
        for name in relations:
            con.unregister(name)
    return {table: result.extra_tables[table].height for table in RAW_TABLES}
