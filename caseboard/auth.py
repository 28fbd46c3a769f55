"""Who may see the dashboard: the password hash, the OIDC check, and login throttling.

The password is stored only as an argon2id hash in ``<home>/auth.json`` (mode
0600, ``home`` = ``$CASEBOARD_HOME``). Wrong passwords lock the login form for an
exponentially growing delay, per browser session, per client address and,
separately, for the whole server process (so opening new sessions does not
reset the delay). Checking the delays and counting an attempt is one atomic step.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import stat
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from caseboard.settings import load_settings

CONFIG_NAME = "auth.json"
MIN_PASSWORD_LENGTH = 8
_HASHER = PasswordHasher()


class AuthConfigError(Exception):
    """The authentication configuration is unusable (message says how to fix it)."""


def auth_home(home: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the auth config: the argument, else settings.home."""
    return Path(home) if home is not None else load_settings().home


def config_path(home: str | os.PathLike[str] | None = None) -> Path:
    """The path of the auth config file."""
    return auth_home(home) / CONFIG_NAME


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password``."""
    return _HASHER.hash(password)


def check_password_strength(password: str) -> None:
    """Raise AuthConfigError if ``password`` is too weak to protect patient data."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthConfigError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip() != password:
        raise AuthConfigError("the password must not start or end with spaces")


def set_password(password: str, home: str | os.PathLike[str] | None = None) -> Path:
    """Store the hash of ``password`` in the auth config (mode 0600, atomic); return its path."""
    check_password_strength(password)
    path = config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = json.dumps({"password_hash": hash_password(password)}, indent=2) + "\n"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, body.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return path


def password_hash(home: str | os.PathLike[str] | None = None) -> str | None:
    """The stored password hash, or None when no password is configured."""
    path = config_path(home)
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise AuthConfigError(
            f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}"
        )
    try:
        value = json.loads(path.read_text()).get("password_hash")
    except (ValueError, AttributeError) as error:
        raise AuthConfigError(
            f"{path} is not valid: run caseboard set-password again"
        ) from error
    if not isinstance(value, str) or not value.startswith("$argon2"):
        raise AuthConfigError(f"{path} holds no argon2 hash: run caseboard set-password again")
    return value


def verify_password(password: str, hashed: str) -> bool:
    """True when ``password`` matches the argon2 ``hashed`` value."""
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def secrets_paths(cwd: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where Streamlit looks for secrets.toml: the user's ~/.streamlit, then <cwd>/.streamlit."""
    base = Path(cwd) if cwd is not None else Path.cwd()
    return [Path.home() / ".streamlit" / "secrets.toml", base / ".streamlit" / "secrets.toml"]


def oidc_configured(cwd: str | os.PathLike[str] | None = None) -> bool:
    """True when a secrets.toml has an [auth] section Streamlit's st.login can use."""
    for path in secrets_paths(cwd):
        if not path.is_file():
            continue
        try:
            auth = tomllib.loads(path.read_text()).get("auth")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise AuthConfigError(f"{path} is not valid TOML") from error
        if not isinstance(auth, dict):
            continue
        has_base = all(auth.get(k) for k in ("redirect_uri", "cookie_secret"))
        has_provider = bool(auth.get("client_id") and auth.get("server_metadata_url")) or any(
            isinstance(v, dict) and v.get("client_id") and v.get("server_metadata_url")
            for v in auth.values()
        )
        if has_base and has_provider:
            return True
    return False


def oidc_available() -> bool:
    """True when Authlib (needed by st.login) is importable."""
    try:
        import authlib  # noqa: F401
    except ImportError:
        return False
    return True


def auth_method(
    home: str | os.PathLike[str] | None = None, cwd: str | os.PathLike[str] | None = None
) -> str | None:
    """'password', 'oidc' or None: how visitors are authenticated."""
    if password_hash(home) is not None:
        return "password"
    if oidc_configured(cwd):
        return "oidc"
    return None


def login_fingerprint(
    home: str | os.PathLike[str] | None = None, cwd: str | os.PathLike[str] | None = None
) -> str | None:
    """What a login is valid for: the password hash's sha256, 'oidc', or None (no login set).

    A login granted for one fingerprint ends when it changes (a new password).
    """
    method = auth_method(home, cwd)
    if method == "password":
        return password_fingerprint(password_hash(home))
    return method


def password_fingerprint(hashed: str) -> str:
    """The sha256 of a stored password hash (the hash itself is never kept with sessions)."""
    return hashlib.sha256(hashed.encode()).hexdigest()


def is_loopback(host: str | None) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Throttle:
    """Exponential lockout after wrong passwords: ``base * 2**(failures - free - 1)`` seconds.

    The first ``free`` failures cost nothing; each further one doubles the
    wait, up to ``cap``. Failures are forgotten after ``forget_after`` quiet
    seconds or a success.
    """

    base: float = 1.0
    cap: float = 300.0
    free: int = 0
    forget_after: float = 900.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _forget_if_quiet(self, now: float) -> None:
        if self.failures and now - self.last_failure > self.forget_after:
            self.failures = 0
            self.locked_until = 0.0

    def wait_seconds(self) -> float:
        """Seconds until the next attempt is allowed (0 = now)."""
        with self._lock:
            now = self.clock()
            self._forget_if_quiet(now)
            return max(0.0, self.locked_until - now)

    def delay_for(self, failures: int) -> float:
        """The lockout after ``failures`` consecutive failures."""
        over = failures - self.free
        return 0.0 if over <= 0 else min(self.cap, self.base * 2 ** (over - 1))

    def record_failure(self) -> float:
        """Count a wrong password; return the lockout it starts."""
        with self._lock:
            now = self.clock()
            self._forget_if_quiet(now)
            self.failures += 1
            self.last_failure = now
            delay = self.delay_for(self.failures)
            self.locked_until = now + delay
            return delay

    def record_success(self) -> None:
        """Forget the failures."""
        with self._lock:
            self.failures = 0
            self.locked_until = 0.0


GLOBAL_THROTTLE = Throttle(base=1.0, cap=60.0, free=5)
MAX_CLIENTS = 10_000
_CLIENT_THROTTLES: dict[str, Throttle] = {}
_ATTEMPTS = threading.Lock()
"""Held while an attempt is checked against the throttles and counted: one step for all."""


def client_throttle(address: str | None) -> Throttle | None:
    """The throttle of one client address (None for none or loopback: a proxy's clients share it).

    Like the global one (5 free failures, then 1 s doubling, here up to 5 minutes), but
    per address, so one guesser cannot spend everyone's free attempts.
    """
    if not address or is_loopback(address):
        return None
    with _ATTEMPTS:
        throttle = _CLIENT_THROTTLES.get(address)
        if throttle is None:
            if len(_CLIENT_THROTTLES) >= MAX_CLIENTS:
                _CLIENT_THROTTLES.pop(next(iter(_CLIENT_THROTTLES)))
            throttle = _CLIENT_THROTTLES[address] = Throttle(base=1.0, cap=300.0, free=5)
        return throttle


class LoginAttempt(NamedTuple):
    """The outcome of one login attempt."""

    accepted: bool
    wait: float
    """Seconds before another attempt is allowed."""
    checked: bool
    """False when a throttle was locked and the password was not even checked."""


def attempt_login(
    password: str,
    hashed: str,
    session: Throttle,
    global_throttle: Throttle = GLOBAL_THROTTLE,
    client: Throttle | None = None,
) -> LoginAttempt:
    """Check one login attempt under the session, client and global throttles.

    Checking the locks and counting the attempt as a failure is one atomic step,
    taken before the (slow) password check: parallel attempts cannot all pass an
    open lock, so N at once cost what N in a row cost. A right password then
    clears the failures. While any throttle is locked the password is not checked.
    """
    throttles = [t for t in (session, client, global_throttle) if t is not None]
    with _ATTEMPTS:
        wait = max(t.wait_seconds() for t in throttles)
        if wait > 0:
            return LoginAttempt(False, wait, False)
        delay = max(t.record_failure() for t in throttles)
    if verify_password(password, hashed):
        for throttle in throttles:
            throttle.record_success()
        return LoginAttempt(True, 0.0, True)
    return LoginAttempt(False, delay, True)
