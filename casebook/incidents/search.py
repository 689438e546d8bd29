"""Full-text search over incident titles and summaries, in Korean and English.

SQLite: an FTS5 table with the trigram tokenizer (``incident_fts``, kept in step with
``incident`` by triggers from migration 0004_search) answers terms of 3+ characters;
1–2 character terms fall back to LIKE on the base table (a trigram index cannot).
PostgreSQL: ILIKE, which the pg_trgm GIN indexes on title and summary serve.

``text_clause`` returns one SQLAlchemy clause that compiles to the right SQL on each
backend, so casebook.incidents.queries.list_incidents calls it.
"""

from __future__ import annotations

from sqlalchemy import and_, column, false, or_, select, table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Boolean

from db.models import Incident

MIN_TRIGRAM = 3
MAX_TERMS = 8
_FTS = table("incident_fts", column("rowid"), column("incident_fts"))


def terms(text: str) -> list[str]:
    """The search words: whitespace-separated, duplicates dropped, at most MAX_TERMS."""
    return list(dict.fromkeys(text.split()))[:MAX_TERMS]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(term: str, ilike: bool) -> ColumnElement[bool]:
    needle = f"%{_escape_like(term)}%"
    if ilike:
        return or_(
            Incident.title.ilike(needle, escape="\\"), Incident.summary.ilike(needle, escape="\\")
        )
    return or_(Incident.title.like(needle, escape="\\"), Incident.summary.like(needle, escape="\\"))


def fts_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: each word a quoted phrase (so no FTS syntax leaks in)."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


class TextMatch(ColumnElement[bool]):
    """Every word of ``text`` in the title or summary (case-insensitive, substring)."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, text: str) -> None:
        self.words = terms(text)


def _grouped(compiler, clause, **kw) -> str:
    # Parenthesised: the caller ANDs this with other filters, and "a OR b AND c" would
    # bind as "a OR (b AND c)".
    return "(" + compiler.process(clause, **kw) + ")"


@compiles(TextMatch)
def _generic(element: TextMatch, compiler, **kw) -> str:
    if not element.words:
        return compiler.process(false(), **kw)
    return _grouped(compiler, and_(*[_like(w, False) for w in element.words]), **kw)


@compiles(TextMatch, "postgresql")
def _postgresql(element: TextMatch, compiler, **kw) -> str:
    if not element.words:
        return compiler.process(false(), **kw)
    return _grouped(compiler, and_(*[_like(w, True) for w in element.words]), **kw)


@compiles(TextMatch, "sqlite")
def _sqlite(element: TextMatch, compiler, **kw) -> str:
    long_words = [w for w in element.words if len(w) >= MIN_TRIGRAM]
    short_words = [w for w in element.words if len(w) < MIN_TRIGRAM]
    clauses = [_like(w, False) for w in short_words]
    if long_words:
        sub = select(_FTS.c.rowid).where(_FTS.c.incident_fts.op("MATCH")(fts_query(long_words)))
        clauses.insert(0, Incident.id.in_(sub))
    if not clauses:
        return compiler.process(false(), **kw)
    return _grouped(compiler, and_(*clauses), **kw)


def text_clause(text: str) -> ColumnElement[bool]:
    """A clause for incidents whose title or summary has ``text``."""
    return TextMatch(text)
