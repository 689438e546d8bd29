"""Foreign law for comparison: what other jurisdictions punish, and since when.

Loads ``kb/foreign/*.yaml`` once into frozen ``ForeignProvision`` models. The
law library and briefs put these next to Korean provisions; nothing here
decides Korean law. Never imports streamlit.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from casebook.law.schema_foreign import ForeignFile, ForeignProvision
from casebook.law.yamlload import KBError, load_model
from casebook.vocab import CONDUCTS

KB_ROOT = Path(__file__).resolve().parents[2] / "kb"
FOREIGN_DIR = KB_ROOT / "foreign"


class Jurisdiction(NamedTuple):
    code: str
    name_ko: str
    name_en: str


def load_foreign(
    directory: Path = FOREIGN_DIR, root: Path = KB_ROOT
) -> tuple[ForeignProvision, ...]:
    """Validate every YAML file in ``directory``; raise KBError naming file, line and field."""
    seen: dict[str, str] = {}
    out: list[ForeignProvision] = []
    for path in sorted(directory.glob("*.yaml")):
        name = str(path.relative_to(root)) if root in path.parents else str(path)
        for provision in load_model(
            path, ForeignFile, root if root in path.parents else None
        ).provisions:
            if provision.id in seen:
                raise KBError(name, None, "id", f"{provision.id} also in {seen[provision.id]}")
            seen[provision.id] = name
            out.append(provision)
    return tuple(out)


@cache
def foreign_provisions() -> tuple[ForeignProvision, ...]:
    """Every foreign provision in the knowledge base, in file order (loaded once)."""
    return load_foreign()


def foreign_provision(provision_id: str) -> ForeignProvision:
    """The provision with this stable id; KeyError if there is none."""
    for provision in foreign_provisions():
        if provision.id == provision_id:
            return provision
    raise KeyError(provision_id)


def foreign_for_conduct(conduct: str) -> list[ForeignProvision]:
    """Provisions abroad that cover ``conduct`` (a word from casebook.vocab.CONDUCTS)."""
    if conduct not in CONDUCTS:
        raise ValueError(f"unknown conduct {conduct!r}; use one of {', '.join(CONDUCTS)}")
    return [p for p in foreign_provisions() if conduct in p.conducts]


def jurisdictions() -> list[Jurisdiction]:
    """Jurisdictions that have at least one provision, in file order, without repeats."""
    found: dict[str, Jurisdiction] = {}
    for p in foreign_provisions():
        found.setdefault(
            p.jurisdiction, Jurisdiction(p.jurisdiction, p.jurisdiction_ko, p.jurisdiction_en)
        )
    return list(found.values())
