"""pipelines/schema.py and sql/schema/001_raw_tables.sql describe the same columns and types."""

from __future__ import annotations

import duckdb

from caseboard.views import ensure_schema
from pipelines.schema import TABLES, Kind

SQL_TYPES = {
    Kind.ID: "VARCHAR", Kind.TEXT: "VARCHAR", Kind.ENUM: "VARCHAR", Kind.DATE: "DATE",
    Kind.DATETIME: "TIMESTAMP", Kind.AMOUNT: "DECIMAL(18,4)",
}
COLUMNS = (
    "select column_name, data_type from information_schema.columns "
    "where table_name = ? order by ordinal_position"
)


def test_raw_tables_match_the_specs():
    con = duckdb.connect()
    ensure_schema(con)
    for name, spec in TABLES.items():
        expected = (
            [("source_id", "VARCHAR")]
            + [(c.name, SQL_TYPES[c.kind]) for c in spec.columns]
            + [("batch_id", "INTEGER"), ("row_hash", "UBIGINT"), ("removed_batch_id", "INTEGER")]
        )
        assert con.sql(COLUMNS, params=["raw_" + name]).fetchall() == expected, name
