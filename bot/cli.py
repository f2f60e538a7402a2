"""Maintenance commands for the service.

  python -m bot.cli add-staff USERNAME --role adviseur|oco|beheerder
        [--name N] [--organisation NAME]
        (password from the environment variable STAFF_PASSWORD, or asked for)
  python -m bot.cli purge [--days N]    delete what is older than the retention period (daily cron)
  python -m bot.cli erase WLZ-XXXX-XX   delete everything of one person, by reference number

purge and erase clean Rasa's tracker store (RASA_TRACKER_DB_URL) too, first; when it cannot
be reached they stop with a message and exit code 2, and delete nothing. purge keeps the
conversations of handoffs that are still open.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings, get_settings
from bot.staff.auth import ROLES, hash_password
from bot.store.database import make_engine, migrate, session_factory
from bot.store.models import AuditLog, Organisation, StaffUser
from bot.store.retention import TrackerEvents, TrackerUnavailable, erase, purge


def add_staff(
    session: Session,
    username: str,
    role: str,
    password: str,
    name: str | None = None,
    organisation: str | None = None,
) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"Onbekende rol {role!r}; kies uit {', '.join(ROLES)}.")
    organisation_id = None
    if organisation:
        organisation_id = session.scalar(
            select(Organisation.id).where(Organisation.name == organisation)
        )
        if organisation_id is None:
            raise ValueError(f"Organisatie {organisation!r} bestaat niet.")
    if role == "oco" and organisation_id is None:
        raise ValueError("Een OCO-medewerker hoort bij een organisatie (--organisation).")
    user = StaffUser(
        username=username.strip().lower(),
        display_name=name or username,
        password_hash=hash_password(password),
        role=role,
        organisation_id=organisation_id,
        active=True,
        failed_logins=0,
        available=False,
    )
    session.add(user)
    session.add(
        AuditLog(
            actor="systeem",
            action="account_aangemaakt",
            detail=f"{user.username} ({role}), via de opdrachtregel",
        )
    )
    session.commit()
    return user


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
                    user = add_staff(
                        session, args.username, args.role, password, args.name, args.organisation
                    )
                except ValueError as error:
                    print(error, file=sys.stderr)
                    return 2
                print(f"Medewerker {user.username} ({user.role}) aangemaakt.")
            elif args.command == "purge":
                counted = purge(
                    session,
                    args.days or settings.retention_days,
                    TrackerEvents(settings.rasa_tracker_db_url),
                )
                print(
                    f"Verwijderd: {counted['conversations']} gesprekken, "
                    f"{counted['handoffs']} overdrachten, "
                    f"{counted['tracker_events']} Rasa-gebeurtenissen. "
                    f"Bewaard met een open overdracht: {counted['kept_open']}."
                )
            else:
                if not erase(session, args.reference, TrackerEvents(settings.rasa_tracker_db_url)):
                    print("Geen overdracht met dit referentienummer.", file=sys.stderr)
                    return 1
                print("Alle gegevens bij dit referentienummer zijn verwijderd.")
    except TrackerUnavailable as error:
        print(f"{error} Er is niets verwijderd.", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
