"""Run one benchmark side in its own process and measure its wall time and peak memory."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


@dataclass
class Measured:
    """One child process: wall and CPU seconds, peak resident memory (MB), its JSON output."""

    wall_s: float
    peak_mb: float
    returncode: int
    cpu_s: float = 0.0
    output: dict = field(default_factory=dict)
    stderr: str = ""

    @property
    def ok(self) -> bool:
        """True when the child exited 0 and printed a JSON object."""
        return self.returncode == 0 and bool(self.output)


def child_env() -> dict[str, str]:
    """The environment for children: the project importable, no stray output buffering."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_measured(args: list[str], timeout_s: float = 900.0) -> Measured:
    """Run ``args`` as a child; return wall and CPU time, its own ru_maxrss, its last JSON line.

    The command runs under ``bench/rusage_child.py``, a small launcher that reports
    the rusage of exactly that command: RUSAGE_CHILDREN would report the maximum
    over every child the benchmark ever ran, and a child forked straight from this
    (possibly large) process would count this process's pages in its own peak.
    """
    start = time.perf_counter()
    usage_file = tempfile.NamedTemporaryFile(suffix=".json", delete=False)
    usage_file.close()
    launcher = [sys.executable, str(BENCH_DIR / "rusage_child.py"), usage_file.name]
    with open(os.devnull, "rb") as devnull:
        proc = subprocess.Popen(
            [*launcher, *args],
            stdin=devnull,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            cwd=ROOT,
            start_new_session=True,
        )
        deadline = start + timeout_s
        out_chunks: list[bytes] = []
        err_chunks: list[bytes] = []
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ, out_chunks)
        sel.register(proc.stderr, selectors.EVENT_READ, err_chunks)
        open_streams = 2
        while open_streams:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            for key, _ in sel.select(timeout=min(remaining, 1.0)):
                chunk = os.read(key.fd, 65536)
                if chunk:
                    key.data.append(chunk)
                else:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
        sel.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    stdout = b"".join(out_chunks).decode(errors="replace")
    stderr = b"".join(err_chunks).decode(errors="replace")
    output: dict = {}
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                output = json.loads(line)
            except json.JSONDecodeError:
                continue
            break
    own = _read_usage(Path(usage_file.name))
    peak_kb = own.get("maxrss_kb", usage.ru_maxrss)
    cpu = own.get("cpu_s", usage.ru_utime + usage.ru_stime)
    return Measured(wall, peak_kb / 1024.0, proc.returncode, cpu, output, stderr[-4000:])


def _read_usage(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, json.JSONDecodeError):
        return {}
    finally:
        path.unlink(missing_ok=True)


def run_side(side: str, *args: str, timeout_s: float = 900.0) -> Measured:
    """Run ``bench/sides.py SIDE ARGS...`` measured."""
    return run_measured(
        [sys.executable, str(BENCH_DIR / "sides.py"), side, *args], timeout_s=timeout_s
    )
