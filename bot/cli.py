"""Maintenance commands for the service.

  python -m bot.cli add-staff USERNAME --role adviseur|oco|beheerder [--name N] [--organisation NAME]
        (password from the environment variable STAFF_PASSWORD, or asked for)
  python -m bot.cli purge [--days N]        delete what is older than the retention period (daily cron)
  python -m bot.cli erase WLZ-XXXX-XX       delete everything of one person, by reference number

Rasa's own tracker store keeps the raw conversation; with RASA_TRACKER_DB_URL set
(the SQL tracker store of production) purge and erase clean it too.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session

from bot.settings import Settings, get_settings
from bot.staff.auth import ROLES, hash_password
from bot.store.database import make_engine, migrate, session_factory
from bot.store.models import AuditLog, Conversation, Handoff, Organisation, StaffUser


def _tracker_delete(where: str, **params) -> int:
    url = os.environ.get("RASA_TRACKER_DB_URL")
    if not url:
        return 0
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            return connection.execute(text(f"DELETE FROM events WHERE {where}"), params).rowcount or 0
    finally:
        engine.dispose()


def add_staff(session: Session, username: str, role: str, password: str, name: str | None = None,
              organisation: str | None = None) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"Onbekende rol {role!r}; kies uit {', '.join(ROLES)}.")
    organisation_id = None
    if organisation:
        organisation_id = session.scalar(select(Organisation.id).where(Organisation.name == organisation))
        if organisation_id is None:
            raise ValueError(f"Organisatie {organisation!r} bestaat niet.")
    if role == "oco" and organisation_id is None:
        raise ValueError("Een OCO-medewerker hoort bij een organisatie (--organisation).")
    user = StaffUser(username=username.strip().lower(), display_name=name or username,
                     password_hash=hash_password(password), role=role, organisation_id=organisation_id,
                     active=True, failed_logins=0, available=False)
    session.add(user)
    session.commit()
    return user


def purge(session: Session, days: int, now: datetime | None = None) -> dict[str, int]:
    """Delete conversations (with messages, handoffs, plans, notes) older than `days`."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    ids = list(session.scalars(select(Conversation.id).where(Conversation.created_at < cutoff)))
    counted = {"conversations": len(ids), "handoffs": 0}
    if ids:
        counted["handoffs"] = session.execute(delete(Handoff).where(Handoff.conversation_id.in_(ids))).rowcount
        for conversation in session.scalars(select(Conversation).where(Conversation.id.in_(ids))):
            session.delete(conversation)  # messages by ORM cascade, plans by ON DELETE CASCADE
    session.add(AuditLog(actor="systeem", action="bewaartermijn",
                         detail=f"{counted['conversations']} gesprekken, {counted['handoffs']} overdrachten"))
    session.commit()
    counted["tracker_events"] = _tracker_delete("timestamp < :cutoff", cutoff=cutoff.timestamp())
    return counted


def erase(session: Session, reference: str) -> bool:
    """Delete the conversation behind a reference number, and everything linked to it."""
    handoff = session.scalar(select(Handoff).where(Handoff.reference == reference.strip().upper()))
    if handoff is None:
        return False
    conversation_id = handoff.conversation_id
    session.execute(delete(Handoff).where(Handoff.conversation_id == conversation_id))
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        session.delete(conversation)
    session.add(AuditLog(actor="systeem", action="gewist", detail=f"op verzoek, referentie {reference.upper()}"))
    session.commit()
    _tracker_delete("sender_id = :sender", sender=conversation_id)
    return True


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-staff")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name")
    add.add_argument("--organisation")
    old = commands.add_parser("purge")
    old.add_argument("--days", type=int)
    wipe = commands.add_parser("erase")
    wipe.add_argument("reference")
    args = parser.parse_args(argv)

    settings = settings or get_settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            if args.command == "add-staff":
                password = os.environ.get("STAFF_PASSWORD") or getpass.getpass("Wachtwoord: ")
                try:
                    user = add_staff(session, args.username, args.role, password, args.name, args.organisation)
                except ValueError as error:
                    print(error, file=sys.stderr)
                    return 2
                print(f"Medewerker {user.username} ({user.role}) aangemaakt.")
            elif args.command == "purge":
                counted = purge(session, args.days or settings.retention_days)
                print(f"Verwijderd: {counted['conversations']} gesprekken, {counted['handoffs']} overdrachten, "
                      f"{counted['tracker_events']} Rasa-gebeurtenissen.")
            else:
                if not erase(session, args.reference):
                    print("Geen overdracht met dit referentienummer.", file=sys.stderr)
                    return 1
                print("Alle gegevens bij dit referentienummer zijn verwijderd.")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
