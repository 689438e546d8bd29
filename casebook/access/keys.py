"""Key rotation and the start-up key check.

Rotation re-encrypts every encrypted column under a new key, in one transaction. Order
matters so that no crash can leave data under a key nobody has, and no key file is ever
deleted (a staged key may be the only one that opens the data):

1. the audit head is locked first (``audit.begin_write``: every writer takes it before
   it encrypts anything), then the encrypted tables (PostgreSQL ``LOCK TABLE``; SQLite
   already holds its one write lock), and every value is checked against the old key;
2. the new key is written to ``<key file>.new`` (0600, fsynced) and every value is
   re-encrypted under it;
3. before the commit, the old key file is linked as ``<key file>.<UTC time>.bak`` and
   ``.new`` replaces the key file (one atomic rename), so a writer waiting for the lock
   reads the new key once the commit releases it;
4. the transaction commits.

A crash anywhere leaves files from which ``resolve_keys`` (run at start-up, by the app
and by the CLI, and by ``keys rotate``) tells which key opens the stored values and
finishes or rolls back the rotation, setting an unused key aside as
``<key file>.<UTC time>.unused`` rather than deleting it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import bindparam, inspect, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from casebook.access import audit, crypto
from casebook.access.permissions import require
from casebook.errors import CasebookError
from db.models import ChatRoom, Incident, User

# Every column that holds Fernet tokens. A new encrypted column must be added here.
ENCRYPTED_COLUMNS = [
    (Incident, "victim_contact_enc"),
    (ChatRoom, "identifier_enc"),
    (ChatRoom, "invite_link_enc"),
    (User, "totp_secret_enc"),
]
# Values per column checked at start-up: the oldest and the newest (a rotation writes all
# of them in one transaction, so they are all under one key).
SAMPLE = 5
# Taking the table locks may meet a writer that holds a row of them and waits for the
# audit head we hold: PostgreSQL then aborts one of us. Rotation tries again.
LOCK_TRIES = 5
LOCK_TIMEOUT = "3s"


@dataclass(frozen=True)
class Rotation:
    values: int
    key_file: Path
    backup_file: Path | None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _aside(path: Path, suffix: str) -> Path:
    """A new name next to ``path`` ending in ``suffix`` (never an existing file)."""
    return path.with_name(f"{path.name}.{_stamp()}.{suffix}")


def staged_path(target: Path) -> Path:
    return target.with_name(target.name + ".new")


def sample_tokens(session: Session, per_column: int = SAMPLE) -> list[str]:
    """Some stored tokens of every encrypted column (the oldest and newest rows)."""
    tokens: list[str] = []
    for model, name in ENCRYPTED_COLUMNS:
        column = getattr(model, name)
        for order in (col(model.id).asc(), col(model.id).desc()):
            query = select(column).where(col(column).is_not(None)).order_by(order)
            tokens += session.exec(query.limit(per_column)).all()
    return list(dict.fromkeys(tokens))


def _all_open(tokens: list[str], key: bytes | None) -> bool:
    return key is not None and all(crypto.opens(t, key) for t in tokens)


def _key_or_none(path: Path) -> bytes | None:
    try:
        return crypto.read_key_file(path) if path.exists() else None
    except CasebookError:
        return None


def has_data(session: Session) -> bool:
    """Whether the database holds anything a key may be needed for (a user, an incident
    or a room)."""
    return any(
        session.exec(select(model.id).limit(1)).first() is not None
        for model in (User, Incident, ChatRoom)
    )


def ensure_key(session: Session) -> Path | None:
    """Create the key file when no key is configured and the database is empty (setup);
    the path created, or None. With data and no key: an error, never a second key."""
    if crypto.key_from_env() or crypto.key_file().exists():
        return None
    if has_data(session) or staged_path(crypto.key_file()).exists():
        raise CasebookError("security.no_key", path=str(crypto.key_file()))
    return crypto.create_key_file()


def resolve_keys(session: Session) -> list[tuple[str, dict[str, str]]]:
    """Check the configured key against the stored values; finish or roll back a rotation
    a crash interrupted. Returns what was done (message keys with parameters, to show the
    operator); raises CasebookError when the data cannot be opened, changing nothing."""
    try:
        return _resolve(session)
    except (FileNotFoundError, FileExistsError):
        # Another process (a second app worker, a CLI run) moved the same files first:
        # look again at what it left.
        return _resolve(session)


def _resolve(session: Session) -> list[tuple[str, dict[str, str]]]:
    done: list[tuple[str, dict[str, str]]] = []
    if not inspect(session.connection()).has_table("incident"):
        return done  # not migrated yet (a restore into a new database): nothing stored
    tokens = sample_tokens(session)
    if crypto.key_from_env():
        key = crypto.current_key()  # checks it is a Fernet key
        if tokens and not _all_open(tokens, key):
            raise CasebookError("security.key_wrong", source="CASEBOOK_SECRET_KEY")
        return done
    target = crypto.key_file()
    staged = staged_path(target)
    current = _key_or_none(target)
    if staged.exists():
        new = _key_or_none(staged)
        if tokens and _all_open(tokens, new) and not _all_open(tokens, current):
            # The commit happened, the renames did not: finish them.
            backup = None
            if target.exists():
                backup = _aside(target, "bak")
                os.link(target, backup)
            os.replace(staged, target)
            done.append(
                ("security.rotation_finished", {"path": str(target), "backup": str(backup or "-")})
            )
        elif not tokens or _all_open(tokens, current):
            # The values are still under the key in use: the new key never served.
            if current is None:
                raise CasebookError("security.no_key", path=str(target))
            aside = _aside(target, "unused")
            staged.rename(aside)
            done.append(("security.rotation_rolled_back", {"path": str(aside)}))
        else:
            raise CasebookError("security.rotation_unresolved", path=str(target))
        current = _key_or_none(target)
    if current is None:
        if target.exists():
            crypto.read_key_file(target)  # raises security.bad_key
        if has_data(session):
            raise CasebookError("security.no_key", path=str(target))
        return done
    if tokens and not _all_open(tokens, current):
        # A crash between the rename (step 3) and the commit leaves the values under the
        # key kept as .bak; a commit reported as failed that did happen leaves them under
        # the key set aside as .unused. Put the one that opens them in place.
        kept = [
            *target.parent.glob(target.name + ".*.bak"),
            *target.parent.glob(target.name + ".*.unused"),
        ]
        for other in sorted(kept, key=lambda p: p.name.split(".")[-2], reverse=True):
            if _all_open(tokens, _key_or_none(other)):
                aside = _aside(target, "unused")
                os.link(target, aside)
                os.replace(other, target)
                os.link(target, other)  # the file stays, for backups made under it
                done.append(
                    (
                        "security.key_restored",
                        {"path": str(target), "from": str(other), "aside": str(aside)},
                    )
                )
                return done
        raise CasebookError("security.key_wrong", source=str(target))
    return done


def _lock(session: Session) -> None:
    """The audit head, then the encrypted tables, for this transaction (module docstring)."""
    audit.begin_write(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        tables = dict.fromkeys(f'"{model.__tablename__}"' for model, _ in ENCRYPTED_COLUMNS)
        session.execute(text(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE"))
        session.execute(text("SET LOCAL lock_timeout = 0"))


def _lock_with_retry(session: Session) -> None:
    for attempt in range(LOCK_TRIES):
        try:
            _lock(session)
            return
        except OperationalError:
            session.rollback()
            if attempt == LOCK_TRIES - 1:
                raise CasebookError("security.rotate_busy") from None
            time.sleep(0.2 * (attempt + 1))


def _read_all(session: Session, old: bytes) -> list[tuple[type, str, list[tuple[int, str]]]]:
    """Every encrypted value in clear; key_mismatch (nothing changed) when one does not open."""
    out = []
    for model, name in ENCRYPTED_COLUMNS:
        column = getattr(model, name)
        rows = session.exec(select(model.id, column).where(col(column).is_not(None))).all()
        clear = []
        for row_id, token in rows:
            try:
                clear.append((row_id, crypto.decrypt_strict(token, old)))
            except InvalidToken:
                raise CasebookError(
                    "security.key_mismatch", table=model.__tablename__, id=row_id
                ) from None
        out.append((model, name, clear))
    return out


def _reencrypt(session: Session, values: list, new: bytes) -> int:
    count = 0
    for model, name, clear in values:
        changes = [{"row_id": i, "token": crypto.encrypt(v, new)} for i, v in clear]
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
    must put it in the environment before the next start (and stop the app first: a
    running app keeps encrypting with the key it was started with).
    """
    require(actor, "keys.manage")
    env = crypto.key_from_env()
    if env and out is None:
        raise CasebookError("security.rotate_needs_out")
    target = out if env else crypto.key_file()
    staged = staged_path(target)
    if staged.exists():
        # Left by an interrupted rotation (resolve_keys sets it aside at start-up in
        # key-file mode); never overwritten, never deleted.
        raise CasebookError("security.staged_exists", path=str(staged))
    session.rollback()  # start a transaction of our own: the locks come first
    _lock_with_retry(session)
    old = crypto.current_key()
    values = _read_all(session, old)
    new = Fernet.generate_key()
    crypto.write_key_file(staged, new)
    backup = None
    try:
        count = _reencrypt(session, values, new)
        audit.record(
            session, actor=actor, action="keys.rotate", entity="keys", after={"values": count}
        )
        session.flush()
        if target.exists():
            backup = _aside(target, "bak")
            os.link(target, backup)
        os.replace(staged, target)
        session.commit()
    except BaseException:
        session.rollback()
        _undo_files(target, staged, backup)
        raise
    return Rotation(values=count, key_file=target, backup_file=backup)


def _undo_files(target: Path, staged: Path, backup: Path | None) -> None:
    """After a failed commit: the old key back in place, the new one set aside (the
    start-up check would do the same; doing it now keeps the app's writers on the key
    the data are under)."""
    if staged.exists():
        staged.rename(_aside(target, "unused"))
    elif backup is not None and backup.exists():
        os.link(target, _aside(target, "unused"))
        os.replace(backup, target)
        os.link(target, backup)
    elif backup is None and target.exists():  # env mode: the new key went to --out
        target.rename(_aside(target, "unused"))
