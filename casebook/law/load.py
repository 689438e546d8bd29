"""Load the Korean-law knowledge base (kb/korea/) once, check it across files, index it.

``load_kb()`` is cached for the life of the process: the YAML is the source of truth
and is read-only while the app runs. ``check_kb()`` returns every problem instead of
stopping at the first, for ``python -m casebook law check``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml

from casebook.law.schema import (
    Amendment,
    AmendmentFile,
    Body,
    BodyFile,
    LawFile,
    Provision,
    Version,
)
from casebook.law.yamlload import KBError, load_model, node_at

ROOT = Path(__file__).resolve().parents[2]
KB_DIR = ROOT / "kb" / "korea"


@dataclass(frozen=True)
class KB:
    """The loaded knowledge base with lookup tables by id."""

    laws: tuple[LawFile, ...]
    amendments: tuple[Amendment, ...]
    law_by_id: dict[str, LawFile]
    provision_by_id: dict[str, Provision]
    law_of_provision: dict[str, LawFile]
    version_by_id: dict[str, Version]
    provision_of_version: dict[str, Provision]
    # Renamed commissions and ministries (kb/korea/bodies.yaml), by id.
    bodies: dict[str, Body] = field(default_factory=dict)


def _law_files(kb_dir: Path) -> list[Path]:
    return sorted((kb_dir / "laws").glob("*.yaml"))


def _line(path: Path, loc: tuple[int | str, ...]) -> int | None:
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return node_at(node, loc).start_mark.line + 1 if node is not None else None


def _index(laws: list[LawFile], amendments: list[Amendment]) -> KB:
    provisions = {p.id: p for law in laws for p in law.provisions}
    return KB(
        laws=tuple(laws),
        amendments=tuple(amendments),
        law_by_id={law.law: law for law in laws},
        provision_by_id=provisions,
        law_of_provision={p.id: law for law in laws for p in law.provisions},
        version_by_id={v.id: v for p in provisions.values() for v in p.versions},
        provision_of_version={v.id: p for p in provisions.values() for v in p.versions},
    )


def _cross_errors(kb: KB, kb_dir: Path) -> list[KBError]:
    """References between files: amendments to provisions, versions to amendments."""
    errors: list[KBError] = []
    afile = kb_dir / "amendments.yaml"
    aname = str(afile.relative_to(ROOT)) if afile.is_relative_to(ROOT) else str(afile)
    amendment_ids = {a.id for a in kb.amendments}

    def add(loc: tuple[int | str, ...], message: str) -> None:
        errors.append(KBError(aname, _line(afile, loc), ".".join(map(str, loc)), message))

    for i, a in enumerate(kb.amendments):
        if a.law not in kb.law_by_id:
            add(("amendments", i, "law"), f"unknown law {a.law}")
        for j, ch in enumerate(a.changes):
            if ch.provision not in kb.provision_by_id:
                add(("amendments", i, "changes", j, "provision"), f"unknown {ch.provision}")
            elif ch.version and kb.provision_of_version.get(ch.version, None) is None:
                add(("amendments", i, "changes", j, "version"), f"unknown {ch.version}")
    for law in kb.laws:
        path = kb_dir / "laws" / f"{law.law}.yaml"
        name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        for i, p in enumerate(law.provisions):
            for j, v in enumerate(p.versions):
                if v.amended_by and v.amended_by not in amendment_ids:
                    loc = ("provisions", i, "versions", j, "amended_by")
                    line = _line(path, loc) if path.exists() else None
                    errors.append(
                        KBError(name, line, ".".join(map(str, loc)), f"unknown {v.amended_by}")
                    )
    return errors


def _load(kb_dir: Path) -> tuple[list[KBError], KB | None]:
    """Parse every file once; return the problems found and, if none, the indexed KB."""
    errors: list[KBError] = []
    laws: list[LawFile] = []
    root = ROOT if kb_dir.is_relative_to(ROOT) else kb_dir
    for path in _law_files(kb_dir):
        try:
            law = load_model(path, LawFile, root=root)
        except KBError as exc:
            errors.append(exc)
            continue
        if path.stem != law.law:
            errors.append(KBError(str(path.relative_to(root)), 1, "law", "must match file name"))
        laws.append(law)
    try:
        amendments = list(load_model(kb_dir / "amendments.yaml", AmendmentFile, root).amendments)
    except KBError as exc:
        return [*errors, exc], None
    bodies: list[Body] = []
    if (kb_dir / "bodies.yaml").exists():
        try:
            bodies = list(load_model(kb_dir / "bodies.yaml", BodyFile, root).bodies)
        except KBError as exc:
            errors.append(exc)
    if errors:
        return errors, None
    kb = replace(_index(laws, amendments), bodies={b.id: b for b in bodies})
    errors = _cross_errors(kb, kb_dir)
    return errors, (None if errors else kb)


def check_kb(kb_dir: Path = KB_DIR) -> list[KBError]:
    """Every problem in the knowledge base, each naming file, line and field."""
    return _load(kb_dir)[0]


def build_kb(kb_dir: Path = KB_DIR) -> KB:
    """Load and index ``kb_dir``; raise the first KBError if anything is wrong."""
    errors, kb = _load(kb_dir)
    if kb is None:
        raise errors[0]
    return kb


@cache
def load_kb() -> KB:
    """The knowledge base of this checkout, loaded once per process."""
    return build_kb(KB_DIR)
