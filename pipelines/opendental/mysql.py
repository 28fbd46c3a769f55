"""Reading a live Open Dental database (MySQL/MariaDB, read-only, one snapshot) as text frames."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
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
DEFAULT_TIMEOUT_S = 300.0
"""Seconds to wait for any answer from the server before refusing the load."""
DENIED_TABLE = 1142
DENIED_COLUMN = 1143
UNKNOWN_COLUMN = 1054
UNKNOWN_TABLE = 1146


def mysql_timeout(value: float | None = None) -> float:
    """The read timeout in seconds: ``value``, else $CASEBOARD_MYSQL_TIMEOUT, else 300."""
    if value is None:
        text = os.environ.get("CASEBOARD_MYSQL_TIMEOUT", "").strip()
        try:
            value = float(text) if text else DEFAULT_TIMEOUT_S
        except ValueError:
            raise OpenDentalError(
                f"CASEBOARD_MYSQL_TIMEOUT is {text!r}: expected a number of seconds"
            ) from None
    if value <= 0:
        raise OpenDentalError(f"the MySQL timeout must be more than 0 seconds, not {value:g}")
    return value


def _visible_columns(cursor) -> dict[str, dict[str, str]]:
    """Table -> lower-case column -> column name, as the user can see them."""
    cursor.execute(
        "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE()"
    )
    present: dict[str, dict[str, str]] = {}
    for table_name, column_name in cursor.fetchall():
        present.setdefault(str(table_name).lower(), {})[str(column_name).lower()] = str(column_name)
    return present


def _probe(cursor, table: str, column: str | None) -> int | None:
    """The MySQL error code of selecting ``column`` (or the table) with no rows; None if fine."""
    import pymysql

    target = "1" if column is None else _quote_identifier(column)
    try:
        # Identifiers come from OD_TABLES (a fixed whitelist); no values are pasted.
        cursor.execute(f"SELECT {target} FROM {_quote_identifier(table)} LIMIT 0")  # noqa: S608
        cursor.fetchall()
    except (pymysql.err.OperationalError, pymysql.err.ProgrammingError) as error:
        code = error.args[0] if error.args else None
        if code in (DENIED_TABLE, DENIED_COLUMN, UNKNOWN_COLUMN, UNKNOWN_TABLE):
            return code
        raise
    return None


def _check_grants(cursor, present: dict[str, dict[str, str]]) -> None:
    """Refuse when the user cannot read a table or column the mapping needs, naming the GRANT.

    information_schema hides what the user may not read, so a table or column
    missing there is probed: "denied" refuses the load, "does not exist" is
    fine for an optional column or table (older Open Dental versions).
    """
    denied_tables: list[str] = []
    denied_columns: dict[str, list[str]] = {}
    for table, spec in OD_TABLES.items():
        columns = present.get(table)
        if columns is None:
            if _probe(cursor, table, None) == DENIED_TABLE:
                denied_tables.append(table)
            continue
        for column in spec.columns:
            if column.lower() in columns:
                continue
            if _probe(cursor, table, column) in (DENIED_TABLE, DENIED_COLUMN):
                denied_columns.setdefault(table, []).append(column)
    if not denied_tables and not denied_columns:
        return
    cursor.execute("SELECT DATABASE(), CURRENT_USER()")
    database, account = cursor.fetchone()
    user, _, host = str(account).rpartition("@")
    grantee = f"'{user}'@'{host}'"
    missing = [f"table {table}" for table in denied_tables]
    missing += [
        f"column {table}.{column}"
        for table, columns in denied_columns.items()
        for column in columns
    ]
    grants = [f"GRANT SELECT ON `{database}`.`{table}` TO {grantee};" for table in denied_tables]
    grants += [
        f"GRANT SELECT ({', '.join(f'`{c}`' for c in columns)}) ON `{database}`.`{table}` "
        f"TO {grantee};"
        for table, columns in denied_columns.items()
    ]
    raise OpenDentalError(
        f"the MySQL user {grantee} may not read {', '.join(missing)}, which the numbers "
        f"depend on (without them they would be silently wrong). Fix it as a MySQL "
        f"administrator with: {' '.join(grants)} (or GRANT SELECT ON `{database}`.* TO "
        f"{grantee};)"
    )


def _read_database(con) -> dict[str, pl.DataFrame]:
    """Read the needed columns of every table in one read-only consistent-snapshot transaction."""
    import pymysql.cursors

    # An unbuffered cursor streams rows in chunks instead of holding a whole table twice.
    with con.cursor(pymysql.cursors.SSCursor) as cursor:
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        present = _visible_columns(cursor)
        _check_grants(cursor, present)
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


def _checksums(con) -> dict[str, str]:
    """Per Open Dental table read: the server's CHECKSUM TABLE (cheap "did it change?")."""
    import pymysql

    with con.cursor() as cursor:
        present = _visible_columns(cursor)
        names = [table for table in OD_TABLES if table in present]
        if not names:
            return {}
        try:  # needs SELECT on whole tables; a user granted only columns gets no shortcut
            cursor.execute("CHECKSUM TABLE " + ", ".join(_quote_identifier(t) for t in names))
        except pymysql.MySQLError:
            return {}
        return {
            str(name).rpartition(".")[2].lower(): str(value) for name, value in cursor.fetchall()
        }


@dataclass
class _Live:
    """A connection's facts safe to show: its label (no password) and the source it is."""

    label: str
    origin: str
    default_source: str


@contextlib.contextmanager
def _connected(url, config_file, timeout_s: float | None) -> Iterator[tuple[object, _Live]]:
    """An open PyMySQL connection (read timeout set) and its facts; every failure an
    OpenDentalError without the password, and the connection always closed."""
    import pymysql

    params = mysql_params(url, config_file=config_file)
    timeout = mysql_timeout(timeout_s)
    env_url = os.environ.get("CASEBOARD_MYSQL_URL")
    label = (
        redact_url(url)
        if url and url not in {"mysql://", "mysql:"}
        else (
            redact_url(env_url)
            if env_url and config_file is None
            else f"mysql option file {config_file}"
        )
    )
    secret = params.get("password")

    def refuse(verb: str, error: BaseException) -> OpenDentalError:
        text = _scrub(str(error), secret)
        if "timed out" in text or isinstance(error, TimeoutError):
            text = (
                f"no answer from the server within {timeout:g} s (a stalled or overloaded "
                f"server; wait longer with --timeout or CASEBOARD_MYSQL_TIMEOUT)"
            )
        return OpenDentalError(f"cannot {verb} {label}: {text}")

    try:
        con = pymysql.connect(
            charset="utf8mb4",
            connect_timeout=min(10.0, timeout),
            read_timeout=timeout,
            write_timeout=timeout,
            autocommit=False,
            conv=_ENCODERS_ONLY(),
            **params,
        )
    except (pymysql.MySQLError, OSError) as error:
        raise refuse("connect to", error) from None
    try:
        with con.cursor() as cursor:
            cursor.execute("SELECT DATABASE()")
            database = str(cursor.fetchone()[0] or "")
        host = str(con.host or "localhost")
        port = int(con.port or 3306)
        live = _Live(
            label=label,
            origin=f"mysql://{host}:{port}/{database}",
            default_source=f"{database}@{host}" + ("" if port == 3306 else f":{port}"),
        )
        yield con, live
    except (pymysql.MySQLError, OSError) as error:
        raise refuse("read", error) from None
    finally:
        with contextlib.suppress(Exception):
            con.close()


def mysql_fingerprint(
    url: str | None = None,
    *,
    config_file: str | os.PathLike[str] | None = None,
    timeout_s: float | None = None,
) -> tuple[str, str, dict[str, str]]:
    """(origin, default source id, per-table checksums) of a live database, without reading rows."""
    with _connected(url, config_file, timeout_s) as (con, live):
        with con.cursor() as cursor:  # a missing grant refuses even an unchanged database
            _check_grants(cursor, _visible_columns(cursor))
        return live.origin, live.default_source, _checksums(con)


def read_mysql(
    url: str | None = None,
    *,
    practice_id: str | None = None,
    config_file: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
    timeout_s: float | None = None,
) -> ReadResult:
    """Read a live Open Dental database (read-only, one snapshot) into the standard tables."""
    with _connected(url, config_file, timeout_s) as (con, live):
        checksums = _checksums(con)
        tables = _read_database(con)
    files = [
        FileInfo(table, f"mysql:{table}", _frame_digest(frame), frame.height)
        for table, frame in tables.items()
    ]
    names = {table: f"mysql:{table}" for table in tables}
    result = map_tables(tables, practice_id=practice_id, today=today, files=files, file_names=names)
    result.origin = live.origin
    result.default_source = live.default_source
    result.checksums = checksums
    result.complete = True
    return result


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
