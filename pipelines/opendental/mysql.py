"""Reading a live Open Dental database (MySQL/MariaDB, read-only, one snapshot) as text frames."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import polars as pl

from pipelines.model import FileInfo, ReadResult
from pipelines.opendental.catalogue import OD_TABLES, REQUIRED_TABLES, OpenDentalError
from pipelines.opendental.mapping import map_tables


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
