"""Staff sign-in: argon2 password hashes, server-side sessions, CSRF tokens, lockout, roles.

The session cookie holds a random value; the database keeps only its SHA-256, so
a leaked database does not let anyone sign in. Every state-changing request must
carry the session's CSRF token (header X-CSRF-Token or form field csrf_token).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from fastapi import HTTPException, Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.store.database import aware
from bot.store.models import AuditLog, StaffSession, StaffUser

COOKIE = "wlz_staff"
ROLES = ("adviseur", "oco", "beheerder")
hasher = PasswordHasher()
# verified against when the username is unknown, so timing does not reveal which names exist
_DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def hash_password(password: str) -> str:
    if len(password) < 12:
        raise ValueError("Een wachtwoord moet minstens 12 tekens hebben.")
    return hasher.hash(password)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    display_name: str
    role: str
    organisation_id: int | None
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "beheerder"


class LoginFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# One answer for every failure (wrong password, unknown name, locked account): it must not tell
# anyone which names exist or which accounts an attacker has locked.
FAILED = (
    "Inloggen is niet gelukt. Controleer uw gebruikersnaam en wachtwoord. Na te veel pogingen "
    "is een account {minutes} minuten geblokkeerd."
)
# argon2 takes 64 MiB and a core per check: a few at a time, so a burst of sign-ins cannot
# starve the chat of memory and threads
_verifying = threading.BoundedSemaphore(2)


def _verify(password_hash: str, password: str) -> bool:
    with _verifying:
        try:
            return hasher.verify(password_hash, password)
        except (VerifyMismatchError, InvalidHashError):
            return False


def login(
    sessions: sessionmaker[Session], settings: Settings, username: str, password: str
) -> tuple[str, Staff]:
    """Check the password; return a new session's cookie value. Counts failures atomically and
    locks the account after too many. No database connection is held while the hash is checked."""
    failed = LoginFailed(FAILED.format(minutes=settings.lockout_minutes))
    now = utcnow()
    with sessions() as session:
        found = session.execute(
            select(
                StaffUser.id,
                StaffUser.username,
                StaffUser.password_hash,
                StaffUser.active,
                StaffUser.locked_until,
            ).where(StaffUser.username == username.strip().lower())
        ).first()
    if found is None or not found.active:
        _verify(_DUMMY_HASH, password)  # the same time as a real check
        raise failed
    locked_until = aware(found.locked_until)
    right = _verify(found.password_hash, password)
    if locked_until and locked_until > now:
        raise failed
    with sessions() as session:
        if not right:
            count = session.execute(
                update(StaffUser)
                .where(StaffUser.id == found.id)
                .values(failed_logins=StaffUser.failed_logins + 1)
                .returning(StaffUser.failed_logins)
            ).scalar_one()
            if count >= settings.lockout_after_failures:
                session.execute(
                    update(StaffUser)
                    .where(StaffUser.id == found.id)
                    .values(
                        failed_logins=0,
                        locked_until=now + timedelta(minutes=settings.lockout_minutes),
                    )
                )
                session.add(AuditLog(actor=found.username, action="geblokkeerd"))
            else:
                session.add(AuditLog(actor=found.username, action="inloggen_mislukt"))
            session.commit()
            raise failed
        user = session.get(StaffUser, found.id)
        assert user is not None  # found above; without it the next line failed already
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        user.failed_logins, user.locked_until, user.last_seen_at = 0, None, now
        cookie = secrets.token_urlsafe(32)
        row = StaffSession(
            id=_digest(cookie),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(24),
            expires_at=now + timedelta(hours=settings.staff_session_hours),
        )
        session.add(row)
        session.add(AuditLog(actor=user.username, action="ingelogd"))
        session.commit()
        return cookie, _staff(user, row)


def _staff(user: StaffUser, row: StaffSession) -> Staff:
    return Staff(
        user.id, user.username, user.display_name, user.role, user.organisation_id, row.csrf_token
    )


def logout(session: Session, cookie: str | None) -> None:
    if cookie:
        row = session.get(StaffSession, _digest(cookie))
        if row is not None:
            session.delete(row)
            session.commit()


def staff_for(session: Session, cookie: str | None, idle_minutes: float = 30) -> Staff | None:
    if not cookie or len(cookie) > 100:
        return None
    row = session.get(StaffSession, _digest(cookie))
    if row is None:
        return None
    now = utcnow()
    user = session.get(StaffUser, row.user_id)
    last_seen = aware(user.last_seen_at) if user is not None else None
    idle = last_seen is not None and now - last_seen > timedelta(minutes=idle_minutes)
    if aware(row.expires_at) <= now or idle or user is None or not user.active:
        session.delete(row)  # expired, idle too long, or the account was switched off
        session.commit()
        return None
    user.last_seen_at = now
    session.commit()
    return _staff(user, row)


def current_staff(request: Request) -> Staff:
    """Dependency: the signed-in staff member; state-changing calls must carry the CSRF token."""
    with request.app.state.sessions() as session:
        staff = staff_for(
            session, request.cookies.get(COOKIE), request.app.state.settings.staff_idle_minutes
        )
    if staff is None:
        raise HTTPException(401, "U bent niet ingelogd.")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        given = request.headers.get("x-csrf-token", "")
        if not secrets.compare_digest(given.encode(), staff.csrf_token.encode()):
            raise HTTPException(
                403, "Deze actie is geweigerd (beveiligingscode ontbreekt). Laad de pagina opnieuw."
            )
    return staff


def require_admin(staff: Staff) -> None:
    if not staff.is_admin:
        raise HTTPException(403, "Alleen een beheerder mag dit.")
