"""Factories with sensible defaults; tests override what they care about.

admin = factory.user(role="admin")
inc = factory.incident(actor=admin, conducts=["view"], occurred_on=date(2024, 8, 1))
"""

from __future__ import annotations

import itertools
import time
from datetime import date
from typing import Any

import pyotp
from sqlmodel import Session

from casebook.access import totp as account
from casebook.access.users import create_user
from casebook.incidents.institutions import create_institution
from casebook.incidents.store import record_incident
from db.models import Incident, Institution, User

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._admin: User | None = None

    @property
    def admin(self) -> User:
        if self._admin is None:
            data = {"username": f"admin{next(_seq)}", "role": "admin", "password": PASSWORD}
            self._admin = create_user(self.session, actor=None, data=data)
        return self._admin

    def user(self, role: str = "advocate", **overrides: Any) -> User:
        n = next(_seq)
        data = {"username": f"{role}{n}", "role": role, "password": PASSWORD} | overrides
        grant = data.pop("can_see_victim_details", False)
        user = create_user(self.session, actor=self.admin, data=data)
        if grant:
            user.can_see_victim_details = True
            self.session.add(user)
            self.session.commit()
        return user

    def enrol_totp(self, user: User) -> str:
        """Set up and confirm two-factor sign-in for ``user``; returns the secret. The code
        used is the previous step's, so the current one is still unused."""
        setup = account.begin_totp(self.session, actor=user, password=PASSWORD)
        code = pyotp.totp.TOTP(setup.secret).at(time.time() - 30)
        account.confirm_totp(self.session, actor=user, token=setup.token, code=code)
        return setup.secret

    def institution(self, actor: User | None = None, **overrides: Any) -> Institution:
        n = next(_seq)
        data = {"name": f"테스트대학교 {n}", "kind": "university", "region": "seoul"} | overrides
        return create_institution(self.session, actor=actor or self.admin, data=data)

    def incident(self, actor: User | None = None, **overrides: Any) -> Incident:
        n = next(_seq)
        data = {
            "title": f"텔레그램 합성물 사건 {n}",
            "summary": "테스트 요약 / test summary",
            "reported_on": date(2024, 9, 1),
            "occurred_on": date(2024, 8, 1),
            "platform": "telegram",
            "status": "reported",
            "victims_count": 3,
            "victims_minor": 0,
            "suspects_count": 1,
            "conducts": ["create", "distribute"],
        } | overrides
        return record_incident(self.session, actor=actor or self.admin, data=data)
