"""People in attendance reports: one record per person, rejoins merged."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from feedback.schema import PCol, Role

#: Roles ranked: a person seen in two roles keeps the higher one.
ROLE_RANK = {
    Role.HOST: 3,
    Role.ORGANISER: 3,
    Role.PANELIST: 2,
    Role.PRESENTER: 2,
    Role.ATTENDEE: 1,
}


def person_key(name: str, email: str) -> str:
    """The key rejoins are merged on: the e-mail (lower case), else the name."""
    email = (email or "").strip().lower()
    if email:
        return "email:" + email
    name = re.sub(r"\s+", " ", (name or "").strip()).casefold()
    return "name:" + name if name else ""


@dataclass
class _Person:
    name: str
    email: str
    role: str
    attended: bool
    join: datetime | None
    leave: datetime | None
    minutes: float | None
    sessions: int
    country: str
    organisation: str

    def absorb(self, other: _Person) -> None:
        if ROLE_RANK.get(other.role, 0) > ROLE_RANK.get(self.role, 0):
            self.role = other.role
            self.name = other.name or self.name
        self.name = self.name or other.name
        self.email = self.email or other.email
        self.attended = self.attended or other.attended
        joins = [t for t in (self.join, other.join) if t is not None]
        leaves = [t for t in (self.leave, other.leave) if t is not None]
        self.join = min(joins) if joins else None
        self.leave = max(leaves) if leaves else None
        if other.minutes is not None:
            self.minutes = (self.minutes or 0.0) + other.minutes
        self.sessions += other.sessions
        self.country = self.country or other.country
        self.organisation = self.organisation or other.organisation


class PeopleMerger:
    """Collect participant rows and merge the rows of one person.

    Rows are merged on the lower-cased e-mail, else on the name. A person who
    appears in two roles keeps the higher one (host/organiser, then
    panelist/presenter, then attendee) and the name given in that role. Join
    times keep the earliest, leave times the latest; minutes and sessions add
    up. At the end, a person known only by name is merged into the one person
    with an e-mail and the same name, when there is exactly one.
    """

    def __init__(self) -> None:
        self._people: dict[str, _Person] = {}

    def __len__(self) -> int:
        return len(self._people)

    def add(
        self,
        *,
        name: str,
        email: str = "",
        role: str = Role.ATTENDEE,
        attended: bool = True,
        join: datetime | None = None,
        leave: datetime | None = None,
        minutes: float | None = None,
        sessions: int = 1,
        country: str = "",
        organisation: str = "",
    ) -> bool:
        """Add one row; return False (nothing added) when it has neither name nor e-mail."""
        key = person_key(name, email)
        if not key:
            return False
        person = _Person(
            name=name or email,
            email=email,
            role=role,
            attended=attended,
            join=join,
            leave=leave,
            minutes=minutes,
            sessions=sessions,
            country=country,
            organisation=organisation,
        )
        if key in self._people:
            self._people[key].absorb(person)
        else:
            self._people[key] = person
        return True

    def records(self) -> list[dict]:
        """The merged people as participant records (keys from :class:`PCol`)."""
        by_name: dict[str, list[str]] = {}
        for key, person in self._people.items():
            if key.startswith("email:"):
                by_name.setdefault(person_key(person.name, "")[5:], []).append(key)
        people = {key: replace(person) for key, person in self._people.items()}
        for key in list(people):
            if not key.startswith("name:"):
                continue
            targets = by_name.get(key[5:], [])
            if len(targets) == 1:
                people[targets[0]].absorb(people.pop(key))
        return [
            {
                PCol.NAME: p.name,
                PCol.EMAIL: p.email,
                PCol.ROLE: p.role,
                PCol.ATTENDED: p.attended,
                PCol.JOIN_TIME: p.join,
                PCol.LEAVE_TIME: p.leave,
                PCol.MINUTES: p.minutes,
                PCol.SESSIONS: p.sessions,
                PCol.COUNTRY: p.country,
                PCol.ORGANISATION: p.organisation,
            }
            for p in people.values()
        ]
