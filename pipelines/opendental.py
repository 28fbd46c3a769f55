"""Open Dental adapter: its tables (a folder of exports or a live database) -> the standard format.

The mapping is ../shared/spec/opendental.md. Both routes first produce the
same thing, one Polars frame of text per Open Dental table with only the
columns below (NULL as null), and then share one mapping, so a folder export
and a live database give identical standard tables.

Decisions the spec leaves open:
* practice_id: a row's non-zero ``ClinicNum`` as text (clinic ``Abbr`` is its
  name, listed in the notes); ``0``, or no ``clinic`` rows (clinics off), is
  the practice given at load (default ``main``). Team members belong to that
  practice too.
* deleted patients (PatStatus 4) are not loaded, and neither are their rows
  in other tables: those are dropped and counted in a note, not quarantined.
* a row that cannot be mapped (unknown status code, unparseable date or
  amount, a required date blank, a code or patient that does not exist) is
  quarantined with a reason naming the Open Dental table and key.
* a standard table is handed to the loader only when an Open Dental table it
  comes from was exported (no provider.csv/userod.csv: no team, so the loader
  skips provider checks instead of refusing every procedure).
* claimprocs on PreAuth claims are left out like the claims themselves.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import polars as pl

from pipelines.model import FileInfo, ReadResult, Reject
from pipelines.schema import TABLES

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
        ("ClinicNum", "UnearnedType"),
    ),
    "adjustment": OdTable(
        "AdjNum", ("AdjNum", "AdjDate", "AdjAmt", "PatNum", "AdjType"), ("ClinicNum",)
    ),
    "claim": OdTable(
        "ClaimNum",
        ("ClaimNum", "PatNum", "DateService", "ClaimStatus", "ClaimFee"),
        ("DateSent", "DateReceived", "InsPayEst", "InsPayAmt", "ClaimType", "ClinicNum"),
    ),
    "claimproc": OdTable(
        "ClaimProcNum",
        ("ClaimProcNum", "PatNum", "Status", "InsPayAmt", "WriteOff", "DateCP"),
        ("ClaimNum", "ProcDate", "ClinicNum", "ClaimPaymentNum"),
    ),
    "provider": OdTable("ProvNum", ("ProvNum", "Abbr"), ("FName", "LName", "IsSecondary")),
    "userod": OdTable("UserNum", ("UserNum", "UserName")),
    "definition": OdTable("DefNum", ("DefNum", "ItemName"), ("Category", "ItemValue")),
    "refattach": OdTable(
        "RefAttachNum", ("RefAttachNum", "ReferralNum", "PatNum", "RefType"), ("ItemOrder",)
    ),
    "referral": OdTable("ReferralNum", ("ReferralNum",), ("LName", "FName", "BusinessName")),
    "clinic": OdTable("ClinicNum", ("ClinicNum",), ("Abbr",)),
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

AMOUNT = pl.Decimal(18, 4)
DATETIME = pl.Datetime("us")


class OpenDentalError(Exception):
    """A source that cannot be read at all (missing table or column, no connection)."""


# ---------------------------------------------------------------- detection


def _table_name(name: str) -> str | None:
    path = Path(name)
    if path.suffix.lower() not in FILE_SUFFIXES:
        return None
    stem = path.stem.lower()
    return stem if stem in OD_TABLES else None


def looks_like_opendental(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder or zip of Open Dental table exports (procedurelog, ...)."""
    path = Path(path)
    if path.is_dir():
        names = [child.name for child in path.rglob("*") if child.is_file()]
    elif path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [Path(info.filename).name for info in archive.infolist() if not info.is_dir()]
    else:
        return False
    tables = {_table_name(name) for name in names}
    return "procedurelog" in tables or "patient" in tables


# ---------------------------------------------------------------- folder route


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _header(path: Path) -> tuple[list[str], bool]:
    """The header names of an export and whether it is tab-separated (mysql --batch)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        first = handle.readline().rstrip("\r\n")
    if "\t" in first:
        return first.split("\t"), True
    return next(csv.reader(io.StringIO(first)), []), False


_SENTINEL = "\ue000"


def _unescape_batch(expr: pl.Expr) -> pl.Expr:
    """Undo mysql --batch escapes (\\\\, \\t, \\n, \\0) in one text column."""
    return (
        expr.str.replace_all("\\\\", _SENTINEL, literal=True)
        .str.replace_all("\\t", "\t", literal=True)
        .str.replace_all("\\n", "\n", literal=True)
        .str.replace_all("\\0", "\x00", literal=True)
        .str.replace_all(_SENTINEL, "\\", literal=True)
    )


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _read_export(path: Path, table: str) -> pl.DataFrame:
    """Read the needed columns of one table export as text (UTF-8, else Windows-1252)."""
    if _is_utf8(path):
        return _read_utf8_export(path, table)
    with tempfile.TemporaryDirectory(prefix="caseboard-od-") as scratch:
        copy = Path(scratch) / path.name
        with (
            open(path, encoding="cp1252", errors="replace", newline="") as source,
            open(copy, "w", encoding="utf-8", newline="") as target,
        ):
            shutil.copyfileobj(source, target, 1 << 20)
        return _read_utf8_export(copy, table)


def _read_utf8_export(path: Path, table: str) -> pl.DataFrame:
    """Read the needed columns of one UTF-8 table export as text, with a 1-based row number."""
    spec = OD_TABLES[table]
    names, is_tab = _header(path)
    by_lower = {name.strip().lower(): name for name in names}
    missing = [column for column in spec.required if column.lower() not in by_lower]
    if missing:
        raise OpenDentalError(
            f"{path.name}: missing column(s) {', '.join(missing)} (Open Dental table {table})"
        )
    frame = pl.scan_csv(
        path,
        separator="\t" if is_tab else ",",
        quote_char=None if is_tab else '"',
        infer_schema=False,
        null_values=["NULL"] if is_tab else None,
        encoding="utf8",
    )
    selected = []
    for column in spec.columns:
        source = by_lower.get(column.lower())
        expr = pl.col(source) if source is not None else pl.lit(None, dtype=pl.Utf8)
        if is_tab and source is not None:
            expr = _unescape_batch(expr)
        selected.append(expr.alias(column))
    # _row: the row as a spreadsheet shows the file (header = 1)
    return frame.select(selected).with_row_index("_row", offset=2).collect()


def _empty(table: str) -> pl.DataFrame:
    columns = {"_row": pl.UInt32} | {column: pl.Utf8 for column in OD_TABLES[table].columns}
    return pl.DataFrame(schema=columns)


def _read_dir(folder: Path) -> tuple[dict[str, pl.DataFrame], list[FileInfo]]:
    found: dict[str, Path] = {}
    for child in sorted(folder.rglob("*"), key=lambda p: (len(p.parts), str(p))):
        table = _table_name(child.name) if child.is_file() else None
        if table is not None and table not in found:
            found[table] = child
    missing = [table for table in REQUIRED_TABLES if table not in found]
    if missing:
        raise OpenDentalError(
            f"{folder}: no export of Open Dental table(s) {', '.join(missing)} "
            f"(expected e.g. {missing[0]}.csv)"
        )
    tables: dict[str, pl.DataFrame] = {}
    files: list[FileInfo] = []
    for table in OD_TABLES:
        path = found.get(table)
        if path is None:
            continue
        tables[table] = _read_export(path, table)
        files.append(FileInfo(table, path.name, _sha256(path), path.stat().st_size))
    return tables, files


def read_folder(
    path: str | os.PathLike[str],
    *,
    practice_id: str | None = None,
    today: dt.date | None = None,
) -> ReadResult:
    """Read a folder (or zip) of Open Dental table exports into the standard tables."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="caseboard-od-") as tmp:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    name = Path(info.filename).name
                    if not info.is_dir() and _table_name(name):
                        (Path(tmp) / name).write_bytes(archive.read(info))
            tables, files = _read_dir(Path(tmp))
    elif path.is_dir():
        tables, files = _read_dir(path)
    else:
        raise OpenDentalError(f"{path}: not a folder or zip of Open Dental exports")
    names = {info.table: info.name for info in files}
    return map_tables(
        tables,
        practice_id=practice_id,
        today=today,
        files=files,
        file_names=names,
        spreadsheet_rows=True,
    )


# ---------------------------------------------------------------- MySQL route


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, safe to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{netloc[1]}").geturl()


def mysql_params(
    url: str | None = None, *, config_file: str | os.PathLike[str] | None = None
) -> dict:
    """Connection keywords for PyMySQL from a URL, $CASEBOARD_MYSQL_URL, or an option file.

    A password missing from the URL is read from the file named by
    $CASEBOARD_MYSQL_PASSWORD_FILE; ``config_file`` holds either a mysql://
    URL or MySQL options (``[client]`` user, password, host, port, database),
    which PyMySQL reads itself.
    """
    url = url or os.environ.get("CASEBOARD_MYSQL_URL")
    params: dict = {}
    if config_file is not None:
        text = Path(config_file).read_text().strip()
        if text.startswith("mysql://") and (url is None or url in {"mysql://", "mysql:"}):
            url = text  # a file holding just the URL (its password may come from the file below)
        else:
            params.update(read_default_file=str(config_file), read_default_group="client")
    if url and url not in {"mysql://", "mysql:"}:
        parts = urlsplit(url)
        if parts.scheme != "mysql":
            raise OpenDentalError(f"not a mysql:// URL: {redact_url(url)}")
        if parts.hostname:
            params["host"] = parts.hostname
        if parts.port:
            params["port"] = parts.port
        if parts.username:
            params["user"] = unquote(parts.username)
        if parts.password is not None:
            params["password"] = unquote(parts.password)
        database = parts.path.lstrip("/")
        if database:
            params["database"] = unquote(database)
    elif config_file is None:
        raise OpenDentalError(
            "no Open Dental database given: pass mysql://USER@HOST:PORT/DB, "
            "set CASEBOARD_MYSQL_URL, or give an option file"
        )
    password_file = os.environ.get("CASEBOARD_MYSQL_PASSWORD_FILE")
    if "password" not in params and password_file:
        params["password"] = Path(password_file).read_text().strip()
    return params


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S").rjust(19, "0")
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _quote_identifier(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise OpenDentalError(f"unexpected identifier {name!r}")
    return f"`{name}`"


FETCH_ROWS = 50_000


def _read_database(con) -> dict[str, pl.DataFrame]:
    """Read the needed columns of every table in one read-only consistent-snapshot transaction."""
    import pymysql.cursors

    # An unbuffered cursor streams rows in chunks instead of holding a whole table twice.
    with con.cursor(pymysql.cursors.SSCursor) as cursor:
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        cursor.execute(
            "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE()"
        )
        present: dict[str, dict[str, str]] = {}
        for table_name, column_name in cursor.fetchall():
            present.setdefault(str(table_name).lower(), {})[str(column_name).lower()] = str(
                column_name
            )
        tables: dict[str, pl.DataFrame] = {}
        for table, spec in OD_TABLES.items():
            columns = present.get(table)
            if columns is None:
                if table in REQUIRED_TABLES:
                    raise OpenDentalError(f"the database has no Open Dental table {table}")
                continue
            missing = [column for column in spec.required if column.lower() not in columns]
            if missing:
                raise OpenDentalError(f"table {table}: missing column(s) {', '.join(missing)}")
            chosen = [column for column in spec.columns if column.lower() in columns]
            # Identifiers come from OD_TABLES (a fixed whitelist); no values are pasted.
            select = ", ".join(_quote_identifier(columns[column.lower()]) for column in chosen)
            cursor.execute(
                f"SELECT {select} FROM {_quote_identifier(table)} "  # noqa: S608
                f"ORDER BY {_quote_identifier(columns[spec.key.lower()])}"
            )
            schema = {column: pl.Utf8 for column in chosen}
            chunks = [pl.DataFrame(schema=schema)]
            while rows := cursor.fetchmany(FETCH_ROWS):
                try:  # the connection has no decoders: values arrive as the server's text
                    chunk = pl.DataFrame(rows, schema=schema, orient="row")
                except (TypeError, pl.exceptions.PolarsError):
                    data = {c: [_text(row[i]) for row in rows] for i, c in enumerate(chosen)}
                    chunk = pl.DataFrame(data, schema=schema)
                chunks.append(chunk)
            frame = pl.concat(chunks)
            frame = frame.with_columns(
                pl.lit(None, dtype=pl.Utf8).alias(column)
                for column in spec.columns
                if column not in chosen
            )
            tables[table] = frame.select(spec.columns).with_row_index("_row", offset=1)
        cursor.execute("COMMIT")
    return tables


def read_mysql(
    url: str | None = None,
    *,
    practice_id: str | None = None,
    config_file: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> ReadResult:
    """Read a live Open Dental database (read-only, one snapshot) into the standard tables."""
    import pymysql

    params = mysql_params(url, config_file=config_file)
    label = (
        redact_url(url or os.environ.get("CASEBOARD_MYSQL_URL") or "mysql://")
        if (url or os.environ.get("CASEBOARD_MYSQL_URL"))
        else f"mysql option file {config_file}"
    )
    secret = params.get("password")
    try:
        con = pymysql.connect(
            charset="utf8mb4",
            connect_timeout=10,
            autocommit=False,
            conv=_ENCODERS_ONLY(),
            **params,
        )
    except pymysql.MySQLError as error:
        raise OpenDentalError(f"cannot connect to {label}: {_scrub(str(error), secret)}") from None
    try:
        tables = _read_database(con)
    except pymysql.MySQLError as error:
        raise OpenDentalError(f"cannot read {label}: {_scrub(str(error), secret)}") from None
    finally:
        con.close()
    files = [
        FileInfo(table, f"mysql:{table}", _frame_digest(frame), frame.height)
        for table, frame in tables.items()
    ]
    names = {table: f"mysql:{table}" for table in tables}
    return map_tables(tables, practice_id=practice_id, today=today, files=files, file_names=names)


def _ENCODERS_ONLY() -> dict:  # noqa: N802 - reads as a constant
    """PyMySQL conversions without decoders: every value comes back as the server's text.

    That is exactly what ``mysql --batch`` prints (dates like 0001-01-01, exact
    bigint keys, doubles in the server's shortest form), so both routes parse the same text.
    """
    from pymysql.converters import conversions

    return {key: value for key, value in conversions.items() if not isinstance(key, int)}


def _scrub(message: str, secret: str | None) -> str:
    return message.replace(secret, "***") if secret else message


def _frame_digest(frame: pl.DataFrame) -> str:
    digest = hashlib.sha256()
    for value in frame.drop("_row").hash_rows(seed=0).to_list():
        digest.update(value.to_bytes(8, "little"))
    return digest.hexdigest()


# ---------------------------------------------------------------- value parsing


def _clean(name: str) -> pl.Expr:
    """Trimmed text, empty -> null."""
    text = pl.col(name).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _key(name: str) -> pl.Expr:
    """An Open Dental key as exact text; 0 (none) -> null."""
    text = _clean(name)
    return pl.when(text == "0").then(None).otherwise(text)


def _int(name: str) -> pl.Expr:
    return _clean(name).cast(pl.Int64, strict=False)


# Dates, datetimes and money are parsed once per table (``_typed``) into hidden
# columns ``<name>__v`` (the value, blank -> null) and ``<name>__bad`` (text that
# is neither blank nor parseable); the helpers below read those columns.
TYPED: dict[str, dict[str, tuple[str, ...]]] = {
    "patient": {"date": ("Birthdate",)},
    "procedurelog": {"date": ("ProcDate", "DateTP"), "float": ("ProcFee",)},
    "treatplan": {"date": ("DateTP",), "datetime": ("DateTSigned",)},
    "appointment": {"datetime": ("AptDateTime", "SecDateTEntry")},
    "paysplit": {"date": ("DatePay",), "float": ("SplitAmt",)},
    "adjustment": {"date": ("AdjDate",), "float": ("AdjAmt",)},
    "claim": {
        "date": ("DateService", "DateSent", "DateReceived"),
        "float": ("ClaimFee", "InsPayEst", "InsPayAmt"),
    },
    "claimproc": {"date": ("DateCP", "ProcDate"), "float": ("InsPayAmt", "WriteOff")},
}


def _parse_date(text: pl.Expr) -> pl.Expr:
    us = text.str.split(" ").list.first().str.to_date("%m/%d/%Y", strict=False)
    return pl.coalesce(
        text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
        pl.when(text.str.contains("/", literal=True)).then(us),
    )


def _parse_datetime(text: pl.Expr, day: pl.Expr) -> pl.Expr:
    stamp = text.str.slice(0, 19).str.replace("T", " ", literal=True)
    return pl.coalesce(
        stamp.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
        stamp.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
        day.cast(DATETIME),
    )


def _typed(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Add the parsed ``__v`` and ``__bad`` columns of the table's dates and money."""
    kinds = TYPED.get(table, {})
    columns = [(kind, name) for kind, names in kinds.items() for name in names]
    if not columns:
        return frame
    # three steps so each text is cleaned and each date parsed once
    frame = frame.with_columns(_clean(name).alias(f"{name}__t") for _, name in columns)
    frame = frame.with_columns(
        (
            pl.col(f"{name}__t").cast(pl.Float64, strict=False)
            if kind == "float"
            else _parse_date(pl.col(f"{name}__t"))
        ).alias(f"{name}__p")
        for kind, name in columns
    )
    exprs: list[pl.Expr] = []
    for kind, name in columns:
        text, parsed = pl.col(f"{name}__t"), pl.col(f"{name}__p")
        if kind == "float":
            exprs += [
                parsed.alias(f"{name}__v"),
                (text.is_not_null() & parsed.is_null()).alias(f"{name}__bad"),
            ]
            continue
        blank = (
            text.is_null()
            | text.str.starts_with("0000-00-00").fill_null(False)
            | (parsed.dt.year() <= BLANK_YEAR).fill_null(False)
        )
        value = _parse_datetime(text, parsed) if kind == "datetime" else parsed
        exprs += [
            pl.when(blank).then(None).otherwise(value).alias(f"{name}__v"),
            (~blank & value.is_null()).alias(f"{name}__bad"),
        ]
    hidden = [f"{name}__{part}" for _, name in columns for part in ("t", "p")]
    return frame.with_columns(exprs).drop(hidden)


def _date(name: str) -> pl.Expr:
    """A date; blank (0001-01-01, any year <= 1880, 0000-00-00, empty) -> null."""
    return pl.col(f"{name}__v")


def _bad_date(name: str) -> pl.Expr:
    return pl.col(f"{name}__bad")


def _datetime(name: str) -> pl.Expr:
    """A datetime; blank -> null."""
    return pl.col(f"{name}__v")


def _bad_datetime(name: str) -> pl.Expr:
    return pl.col(f"{name}__bad")


def _float(name: str) -> pl.Expr:
    return pl.col(f"{name}__v")


def _bad_number(name: str) -> pl.Expr:
    return pl.col(f"{name}__bad")


def _cents(expr: pl.Expr) -> pl.Expr:
    """A float money value rounded to cents, as an exact amount."""
    return expr.round(2).cast(AMOUNT)


# ---------------------------------------------------------------- mapping


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
    tables = {table: _typed(table, tables.get(table, _empty(table))) for table in OD_TABLES}
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
    for row in clinics.select(
        _key("ClinicNum").alias("n"), _clean("Abbr").alias("abbr")
    ).iter_rows():
        result.notes.append(
            f"practice {row[0]} = Open Dental clinic {row[1] or '(no abbreviation)'}"
        )
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
    result.extra_tables = _raw_for_reconcile(ctx, tables)
    return result


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
            pl.when(_int("IsSecondary") == 1)
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
    patient_money = method.select(
        "_row",
        pl.col("SplitNum"),
        pl.concat_str([pl.lit("split-"), _key("SplitNum")]).alias("payment_id"),
        ctx.practice_of("ClinicNum").alias("practice_id"),
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
        ctx.practice_of("ClinicNum").alias("practice_id"),
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
        ctx.practice_of("ClinicNum").alias("practice_id"),
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
        ctx.practice_of("ClinicNum").alias("practice_id"),
        _key("PatNum").alias("patient_id"),
        _date("DateCP").alias("date"),
        (-_cents(_float("WriteOff"))).alias("amount"),
        pl.lit("insurance_writeoff").alias("kind"),
    )
    return own, writeoffs


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
    )


# ---------------------------------------------------------------- raw rows for reconciliation


def _raw_for_reconcile(
    ctx: _Context, tables: Mapping[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
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
            ctx.practice_of("ClinicNum").alias("practice_id"),
            _date("AdjDate").alias("adj_date"),
            _float("AdjAmt").alias("adj_amt"),
        )
        .filter(pl.col("adj_num").is_not_null())
        .unique("adj_num", keep="first", maintain_order=True),
        "od_paysplit": tables["paysplit"]
        .select(
            _key("SplitNum").alias("split_num"),
            _key("PatNum").alias("pat_num"),
            ctx.practice_of("ClinicNum").alias("practice_id"),
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
            ctx.practice_of("ClinicNum").alias("practice_id"),
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


STORE_SQL = Path(__file__).with_name("opendental_store.sql")
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
