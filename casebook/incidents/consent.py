"""What the victim (or a guardian) agreed to, and the checks that enforce it (issue 19).

One row per incident (IncidentConsent): sharing with the police, the school or employer,
the regulator, lawmakers and the press, and use in aggregate statistics, with who gave
it, when, and who recorded it. Defaults are the safe ones: with no row nothing may be
shared. Anonymous statistics are the one default "yes" (existing incidents were logged
to be counted; docs/security.md, "Who sees what"): an explicit decline removes the
incident from the figures that read incidents (``statistics_clause``).

A change is audited; a withdrawal (a "yes" turned "no") is audited as such and holds
from the next read on, since every check reads the row afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, false
from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.access.visibility import open_incident, require_writable
from casebook.errors import CasebookError, InvalidInput
from db.models import Incident, IncidentConsent, User, utcnow

# Who a brief or an export may go to, each needing the same-named consent.
AUDIENCES = ("police", "school", "regulator", "lawmakers", "press")
SCOPES = AUDIENCES + ("statistics",)
GIVERS = ("victim", "guardian")


class ConsentMissing(CasebookError):
    """A brief or export for ``audience`` without the victim's consent to it."""

    key = "consent.missing"

    def message(self, lang: str = "ko") -> str:
        from casebook.i18n import translate

        audience = translate(f"consent.scope_{self.params.get('audience')}", lang)
        return translate(self.key, lang, audience=audience)


@dataclass(frozen=True)
class Consent:
    agreed: dict[str, bool]
    given_by: str
    given_on: date | None
    recorded_by_id: int | None
    recorded: bool  # False: no record yet, the safe defaults apply


def _defaults() -> dict[str, bool]:
    return {scope: scope == "statistics" for scope in SCOPES}


def _row(session: Session, incident_id: int) -> IncidentConsent | None:
    return session.get(IncidentConsent, incident_id)


def get_consent(session: Session, *, actor: User | None, incident_id: int) -> Consent:
    """The incident's consent as recorded (or the safe defaults when none is)."""
    open_incident(session, actor, incident_id)
    row = _row(session, incident_id)
    if row is None:
        return Consent(_defaults(), "victim", None, None, False)
    agreed = {scope: bool(getattr(row, scope)) for scope in SCOPES}
    return Consent(agreed, row.given_by, row.given_on, row.recorded_by_id, True)


def record_consent(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    agreed: dict[str, bool],
    given_by: str = "victim",
    given_on: date | None = None,
) -> Consent:
    """Record what was agreed (scopes left out are "no"); audited, withdrawals by name."""
    require(actor, "incident.write")
    require_writable(session, actor, session.get(Incident, incident_id))
    unknown = set(agreed) - set(SCOPES)
    if unknown or given_by not in GIVERS:
        raise InvalidInput({"consent": "errors.unknown_value"})
    if given_on is None or given_on > date.today():
        raise InvalidInput(
            {"given_on": "errors.required" if given_on is None else "errors.date_in_future"}
        )
    audit.begin_write(session)
    row = _row(session, incident_id)
    before = None if row is None else audit.snapshot(row, ["given_by", "given_on", *SCOPES])
    old = _defaults() if row is None else {s: bool(getattr(row, s)) for s in SCOPES}
    row = row or IncidentConsent(incident_id=incident_id)
    for scope in SCOPES:
        setattr(row, scope, bool(agreed.get(scope, False)))
    row.given_by, row.given_on = given_by, given_on
    row.recorded_by_id, row.recorded_at = getattr(actor, "id", None), utcnow()
    session.add(row)
    session.flush()
    withdrawn = sorted(s for s in SCOPES if old[s] and not getattr(row, s))
    audit.record(
        session,
        actor=actor,
        entity="incident",
        entity_id=incident_id,
        action="incident.consent_withdrawn" if withdrawn else "incident.consent",
        before=before,
        after=audit.snapshot(row, ["given_by", "given_on", *SCOPES]) | {"withdrawn": withdrawn},
    )
    session.commit()
    return get_consent(session, actor=actor, incident_id=incident_id)


def require_consent(session: Session, *, incident_id: int, audience: str) -> None:
    """Refuse, naming the audience, unless the victim agreed to sharing with it."""
    if audience not in AUDIENCES:
        raise InvalidInput({"audience": "errors.unknown_value"})
    row = _row(session, incident_id)
    if row is None or not getattr(row, audience):
        raise ConsentMissing(audience=audience)


def consent_clause(audience: str) -> ColumnElement[bool]:
    """Incidents whose victim agreed to sharing with ``audience`` (exports filter on it)."""
    if audience not in AUDIENCES:
        raise InvalidInput({"audience": "errors.unknown_value"})
    agreed = select(IncidentConsent.incident_id).where(getattr(IncidentConsent, audience))
    return col(Incident.id).in_(agreed)


def statistics_clause() -> ColumnElement[bool]:
    """Incidents that may be counted: all but those whose victim declined statistics."""
    declined = select(IncidentConsent.incident_id).where(col(IncidentConsent.statistics) == false())
    return col(Incident.id).not_in(declined)
