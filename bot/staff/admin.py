"""Administration for a beheerder: staff accounts, the OCO directory, editable contact texts.

Contact details and opening hours start in content/settings.yml; a beheerder can
change them here without a release. Changes are stored as overrides, validated,
audited, and read by the action server through the internal API.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.staff.api import audit
from bot.staff.auth import ROLES, Staff, current_staff, hash_password, require_admin
from bot.store.models import ConfigValue, Organisation, StaffSession, StaffUser

router = APIRouter(prefix="/staff/api/admin", tags=["beheer"])
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
PHONE = re.compile(r"^0\d{2,3}[- ]?\d{6,7}$|^0[89]00[- ]?\d{4,7}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
# every key a beheerder may change, with a check and a Dutch explanation when it fails
EDITABLE: dict[str, tuple[re.Pattern[str] | None, str]] = {
    "zorgkantoor.naam": (None, ""),
    "zorgkantoor.telefoon": (
        PHONE,
        "Vul een Nederlands telefoonnummer in, bijvoorbeeld 0800-1234567.",
    ),
    "zorgkantoor.email": (EMAIL, "Vul een geldig e-mailadres in."),
    "zorgkantoor.website": (None, ""),
    "overdracht.verwachting_terugbellen": (None, ""),
    "overdracht.verwachting_email": (None, ""),
    "overdracht.hulp_kosten": (None, ""),
    **{
        f"openingstijden.{day}": (
            HOURS,
            "Gebruik de vorm 08:30-17:00, of laat leeg als u dicht bent.",
        )
        for day in DAYS
    },
}


def file_settings(content_dir: Path) -> dict[str, Any]:
    path = content_dir / "settings.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}


def overrides(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(ConfigValue))}


def effective_settings(session: Session, content_dir: Path) -> dict[str, Any]:
    """content/settings.yml with the beheerder's changes applied."""
    merged = file_settings(content_dir)
    for key, value in overrides(session).items():
        section, name = key.split(".", 1)
        merged.setdefault(section, {})
        merged[section][name] = value or None
    return merged


@router.get("/settings")
def get_settings(request: Request, staff: Staff = Depends(current_staff)) -> dict[str, Any]:
    require_admin(staff)
    with request.app.state.sessions() as session:
        merged = effective_settings(session, request.app.state.settings.content_dir)
    values = {}
    for key in EDITABLE:
        section, name = key.split(".", 1)
        values[key] = (merged.get(section) or {}).get(name) or ""
    return {"values": values}


class SettingsIn(BaseModel):
    values: dict[str, str] = Field(max_length=len(EDITABLE))


@router.put("/settings")
def put_settings(
    body: SettingsIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    require_admin(staff)
    problems = []
    for key, value in body.values.items():
        if key not in EDITABLE:
            problems.append(f"{key}: dit veld kunt u hier niet aanpassen.")
            continue
        pattern, explanation = EDITABLE[key]
        value = value.strip()
        if len(value) > 200 or (value and pattern is not None and not pattern.match(value)):
            problems.append(f"{key}: {explanation or 'deze waarde is te lang.'}")
        if not value and not key.startswith("openingstijden."):
            problems.append(f"{key}: dit veld mag niet leeg zijn.")
    if problems:
        raise HTTPException(422, " ".join(problems))
    with request.app.state.sessions() as session:
        merged = effective_settings(session, request.app.state.settings.content_dir)
        changes = []
        for key, value in body.values.items():
            row = session.get(ConfigValue, key)
            section, name = key.split(".", 1)
            old = str((merged.get(section) or {}).get(name) or "")
            if row is None:
                session.add(ConfigValue(key=key, value=value.strip()))
            else:
                row.value = value.strip()
            if old != value.strip():
                # office settings hold no personal data: the audit keeps what was there and
                # what came
                changes.append(f"{key}: {old!r} -> {value.strip()!r}")
        audit(session, staff, "instellingen", detail="; ".join(sorted(changes)) or "geen wijziging")
        session.commit()
    return {"ok": True}


# -- staff accounts -------------------------------------------------------------------
class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    role: Literal["adviseur", "oco", "beheerder"]
    organisation_id: int | None = None
    password: str = Field(min_length=12, max_length=200)


def user_row(user: StaffUser) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "active": user.active,
    }


@router.get("/users")
def list_users(request: Request, staff: Staff = Depends(current_staff)) -> dict[str, Any]:
    require_admin(staff)
    with request.app.state.sessions() as session:
        return {
            "users": [
                user_row(u) for u in session.scalars(select(StaffUser).order_by(StaffUser.username))
            ],
            "roles": list(ROLES),
        }


@router.post("/users")
def create_user(
    body: UserIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    require_admin(staff)
    if body.role == "oco" and body.organisation_id is None:
        raise HTTPException(422, "Een OCO-medewerker hoort bij een organisatie.")
    with request.app.state.sessions() as session:
        if (
            body.organisation_id is not None
            and session.get(Organisation, body.organisation_id) is None
        ):
            raise HTTPException(422, "Deze organisatie bestaat niet.")
        user = StaffUser(
            username=body.username.lower(),
            display_name=body.display_name,
            password_hash=hash_password(body.password),
            role=body.role,
            organisation_id=body.organisation_id,
            active=True,
            failed_logins=0,
            available=False,
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise HTTPException(409, "Deze gebruikersnaam bestaat al.")
        audit(session, staff, "gebruiker_aangemaakt", detail=user.username)
        session.commit()
        return user_row(user)


class UserChangeIn(BaseModel):
    active: bool | None = None
    password: str | None = Field(None, min_length=12, max_length=200)


@router.post("/users/{user_id}")
def change_user(
    user_id: int, body: UserChangeIn, request: Request, staff: Staff = Depends(current_staff)
) -> dict[str, Any]:
    require_admin(staff)
    with request.app.state.sessions() as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise HTTPException(404, "Deze medewerker bestaat niet.")
        if body.active is False and user.id == staff.id:
            raise HTTPException(422, "U kunt uw eigen account niet uitzetten.")
        if body.active is not None:
            user.active = body.active
            audit(
                session,
                staff,
                "gebruiker_" + ("aan" if body.active else "uit"),
                detail=user.username,
            )
        if body.password:
            user.password_hash = hash_password(body.password)
            user.failed_logins, user.locked_until = 0, None
            audit(session, staff, "wachtwoord_gewijzigd", detail=user.username)
        if body.password or body.active is False:
            # signed-in browsers of this account must sign in again (with the new password)
            session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        session.commit()
        return user_row(user)


# -- the OCO directory ----------------------------------------------------------------
class OrganisationIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    kind: Literal["oco", "zorgkantoor"] = "oco"
    regions: list[str] = Field(default_factory=list, max_length=50)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=300)
    active: bool = True


def organisation_row(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "regions": org.regions,
        "phone": org.phone,
        "email": org.email,
        "website": org.website,
        "active": org.active,
    }


@router.get("/organisations")
def list_organisations(request: Request, staff: Staff = Depends(current_staff)) -> dict[str, Any]:
    with request.app.state.sessions() as session:
        return {
            "organisations": [
                organisation_row(o)
                for o in session.scalars(select(Organisation).order_by(Organisation.name))
            ]
        }


@router.post("/organisations")
def save_organisation(
    body: OrganisationIn,
    request: Request,
    staff: Staff = Depends(current_staff),
    organisation_id: int | None = None,
) -> dict[str, Any]:
    require_admin(staff)
    with request.app.state.sessions() as session:
        org = session.get(Organisation, organisation_id) if organisation_id else None
        if organisation_id and org is None:
            raise HTTPException(404, "Deze organisatie bestaat niet.")
        if org is None:
            org = Organisation(name=body.name)
            session.add(org)
        for field, value in body.model_dump().items():
            setattr(org, field, value)
        try:
            session.flush()
        except IntegrityError:
            raise HTTPException(409, "Er is al een organisatie met deze naam.")
        audit(session, staff, "organisatie", detail=org.name)
        session.commit()
        return organisation_row(org)
