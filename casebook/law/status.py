"""Load and validate the whole knowledge base (Korean law, foreign law, national figures).

`make run` calls this before serving so a broken YAML file stops start-up with a clear
message naming file, line and field, instead of failing later inside a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook.law.foreign import foreign_provisions
from casebook.law.load import check_kb, load_kb
from casebook.law.national import national_figures
from casebook.law.yamlload import KBError


@dataclass(frozen=True)
class KBSummary:
    laws: int
    provisions: int
    versions: int
    amendments: int
    foreign_provisions: int
    national_figures: int
    unverified: int


def load_knowledge_base() -> KBSummary:
    """Validate every KB file and load it into memory; raise the first KBError found."""
    errors = check_kb()
    if errors:
        raise errors[0]
    kb = load_kb()
    foreign = foreign_provisions()
    figures = national_figures()
    provisions = [p for law in kb.laws for p in law.provisions]
    versions = [v for p in provisions for v in p.versions]
    unverified = sum(not v.verified for v in versions) + sum(not f.verified for f in foreign)
    unverified += sum(not f.verified for f in figures)
    return KBSummary(
        laws=len(kb.laws),
        provisions=len(provisions),
        versions=len(versions),
        amendments=len(kb.amendments),
        foreign_provisions=len(foreign),
        national_figures=len(figures),
        unverified=unverified,
    )


__all__ = ["KBError", "KBSummary", "load_knowledge_base"]
