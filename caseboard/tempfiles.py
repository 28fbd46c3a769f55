"""Private temporary folders for copies of patient data, and the removal of stale ones.

A load stages rows, extracts zips, transcodes text and saves uploads in
temporary folders named ``caseboard-<kind>-<pid>-<random>``: created mode 0700
(only the owner can read what is inside), removed when the work ends. A process
killed meanwhile leaves its folder behind; ``remove_stale`` (run at the start
of every ``caseboard`` command and every load) removes the folders of processes
that are gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

KINDS = ("stage", "zip", "transcode", "upload")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def private_dir(kind: str, parent: str | os.PathLike[str] | None = None) -> Path:
    """A new folder only the owner can read, named after this process (remove it when done)."""
    return Path(tempfile.mkdtemp(prefix=f"caseboard-{kind}-{os.getpid()}-", dir=parent))


@contextlib.contextmanager
def private_folder(kind: str, parent: str | os.PathLike[str] | None = None) -> Iterator[Path]:
    """A private_dir for the duration of the block, removed with its contents at exit."""
    folder = private_dir(kind, parent)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale(parent: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove the caseboard temporary folders in ``parent`` whose process is gone; list them."""
    folder = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    removed = []
    for kind in KINDS:
        prefix = f"caseboard-{kind}-"
        for stale in folder.glob(prefix + "*"):
            pid = stale.name[len(prefix):].partition("-")[0]
            if (stale.is_dir() and not stale.is_symlink() and pid.isdigit()
                    and int(pid) != os.getpid() and not _alive(int(pid))):
                shutil.rmtree(stale, ignore_errors=True)
                removed.append(stale)
    return removed
