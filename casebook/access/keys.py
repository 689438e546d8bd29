"""Key rotation: re-encrypt every encrypted column under a new key, in one transaction.

Order matters so that no crash can leave data under a key nobody has:
1. the new key is written to ``<key file>.new`` (0600, fsynced);
2. every encrypted value is decrypted with the old key and re-encrypted with the new
   one, and the transaction commits (or nothing changes);
3. the old key file is renamed to ``<key file>.<UTC time>.bak`` and the new one takes
   its place. A crash between 2 and 3 leaves the new key in ``.new``: rename it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from casebook.access import audit, crypto
from casebook.access.permissions import require
from casebook.config import get_settings
from casebook.errors import CasebookError
from db.models import ChatRoom, Incident, User

# Every column that holds Fernet tokens. A new encrypted column must be added here.
ENCRYPTED_COLUMNS = [
    (Incident, "victim_contact_enc"),
    (ChatRoom, "identifier_enc"),
    (ChatRoom, "invite_link_enc"),
    (User, "totp_secret_enc"),
]


@dataclass(frozen=True)
class Rotation:
    values: int
    key_file: Path
    backup_file: Path | None


def _reencrypt(session: Session, old: bytes, new: bytes) -> int:
    count = 0
    for model, name in ENCRYPTED_COLUMNS:
        column = getattr(model, name)
        rows = session.exec(select(model.id, column).where(col(column).is_not(None))).all()
        changes = []
        for row_id, token in rows:
            try:
                clear = crypto.decrypt_strict(token, old)
            except InvalidToken:
                raise CasebookError(
                    "security.key_mismatch", table=model.__tablename__, id=row_id
                ) from None
            changes.append({"row_id": row_id, "token": crypto.encrypt(clear, new)})
        if changes:  # one executemany per column, inside the caller's transaction
            session.execute(
                update(model.__table__)
                .where(model.__table__.c.id == bindparam("row_id"))
                .values({name: bindparam("token")}),
                changes,
            )
        count += len(changes)
    return count


def rotate_keys(session: Session, *, actor: User, out: Path | None = None) -> Rotation:
    """Re-encrypt everything under a fresh key and install it (see module docstring).

    With the key in CASEBOOK_SECRET_KEY the new key is written to ``out`` and the operator
    must put it in the environment before the next start.
    """
    require(actor, "keys.manage")
    old, new = crypto.current_key(), Fernet.generate_key()
    env = crypto.key_from_env()
    if env and out is None:
        raise CasebookError("security.rotate_needs_out")
    target = out if env else get_settings().resolved_key_file
    staged = target.with_name(target.name + ".new")
    staged.unlink(missing_ok=True)
    crypto.write_key_file(staged, new)
    try:
        count = _reencrypt(session, old, new)
        audit.record(session, actor=actor, action="keys.rotate", entity="keys",
                     after={"values": count})  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        staged.unlink(missing_ok=True)
        raise
    backup = None
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = target.with_name(f"{target.name}.{stamp}.bak")
        target.rename(backup)
    staged.rename(target)
    return Rotation(values=count, key_file=target, backup_file=backup)
