"""A real MariaDB server for the Open Dental tests: started once per session, stopped after.

Debian's ``mariadbd`` runs on a temporary data directory, a free loopback port
and a private socket. Without the server the tests skip, except in CI
(``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

MARIADBD = Path("/usr/sbin/mariadbd")
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
DDL = Path(__file__).with_name("od_mariadb.sql")
READER = "caseboard_ro"
READER_PASSWORD = "r0:p@ss/w%rd"  # URL-special characters on purpose


@dataclass
class Server:
    """A running MariaDB server and how to reach it."""

    port: int
    socket: str

    def root(self, database: str | None = None):
        """A root connection over the socket."""
        import pymysql

        return pymysql.connect(
            unix_socket=self.socket,
            user="root",
            database=database,
            charset="utf8mb4",
            autocommit=True,
        )

    def url(self, database: str, password: str = READER_PASSWORD) -> str:
        """A mysql:// URL for the read-only user over TCP."""
        from urllib.parse import quote

        return f"mysql://{READER}:{quote(password, safe='')}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, tables: dict[str, list[dict]]) -> None:
        """Create an Open Dental database from rows, readable by the read-only user."""
        con = self.root()
        try:
            with con.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
                cursor.execute(f"USE `{name}`")
                for statement in _statements(DDL.read_text()):
                    cursor.execute(statement)
                for table, rows in tables.items():
                    groups: dict[tuple[str, ...], list[dict]] = {}
                    for row in rows:
                        groups.setdefault(tuple(row), []).append(row)
                    for columns, group in groups.items():
                        names = ", ".join(f"`{c}`" for c in columns)
                        marks = ", ".join(["%s"] * len(columns))
                        cursor.executemany(
                            f"INSERT INTO `{table}` ({names}) VALUES ({marks})",  # noqa: S608 - fixture names, values bound
                            [tuple(row[c] for c in columns) for row in group],
                        )
                cursor.execute(f"GRANT SELECT ON `{name}`.* TO '{READER}'@'127.0.0.1'")
        finally:
            con.close()


def _statements(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory):
    """A MariaDB server with a read-only user, for the whole session."""
    if not MARIADBD.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but /usr/sbin/mariadbd is missing: .ci/run must install it")
        pytest.skip("mariadbd not installed")

    base = tmp_path_factory.mktemp("mariadb")
    # A data directory in memory when possible: the install is ~1.5 s there, ~7 s on disk.
    memory = Path("/dev/shm")
    scratch = (
        Path(tempfile.mkdtemp(prefix="caseboard-mariadb-", dir=memory))
        if (memory.is_dir() and os.access(memory, os.W_OK))
        else None
    )
    datadir = (scratch or base) / "data"
    sock, port = str(base / "mysqld.sock"), _free_port()
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    try:
        yield from _run_server(base, scratch, datadir, sock, port, as_root)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run_server(base: Path, scratch, datadir: Path, sock: str, port: int, as_root: list[str]):
    import pymysql

    subprocess.run(
        [
            INSTALL_DB,
            "--no-defaults",
            f"--datadir={datadir}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            *as_root,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    log = open(base / "mysqld.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [
            str(MARIADBD),
            "--no-defaults",
            f"--datadir={datadir}",
            f"--socket={sock}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            "--skip-networking=0",
            f"--pid-file={base / 'mysqld.pid'}",
            "--innodb-buffer-pool-size=32M",
            "--skip-log-bin",
            "--character-set-server=utf8mb4",
            *as_root,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                pymysql.connect(unix_socket=sock, user="root").close()
                break
            except pymysql.MySQLError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "mariadbd did not start: " + (base / "mysqld.log").read_text()[-2000:]
                    ) from None
                time.sleep(0.1)
        ready = Server(port=port, socket=sock)
        con = ready.root()
        with con.cursor() as cursor:
            cursor.execute(
                f"CREATE USER '{READER}'@'127.0.0.1' IDENTIFIED BY %s", [READER_PASSWORD]
            )
        con.close()
        yield ready
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
