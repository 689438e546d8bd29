"""Every file of the Korean-law KB validates, and broken files are reported precisely."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from casebook.law.load import KB_DIR, check_kb, load_kb
from casebook.law.schema import LawFile
from casebook.law.yamlload import KBError, load_model
from casebook.vocab import CONDUCTS

LAW_FILES = sorted((KB_DIR / "laws").glob("*.yaml"))


def test_whole_kb_is_valid():
    assert check_kb() == []


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_each_law_file_loads(path: Path):
    law = load_model(path, LawFile)
    assert law.law == path.stem


def test_versions_never_overlap_and_gaps_are_explained():
    for p in load_kb().provision_by_id.values():
        for prev, nxt in zip(p.versions, p.versions[1:], strict=False):
            assert prev.in_force_to is not None, p.id
            assert prev.in_force_to < nxt.in_force_from, p.id
            if prev.in_force_to + timedelta(days=1) != nxt.in_force_from:
                assert nxt.gap_reason, nxt.id


def test_every_version_has_a_source_and_unverified_ones_say_why():
    for v in load_kb().version_by_id.values():
        assert v.source.url.startswith("http") and v.source.citation, v.id
        assert v.source.checked.year >= 2024, v.id
        assert v.verified or v.verification_note, v.id


def test_conducts_come_from_the_vocabulary():
    for p in load_kb().provision_by_id.values():
        for v in p.versions:
            for par in v.paragraphs:
                assert set(par.conducts) <= set(CONDUCTS), v.id


def test_version_ids_are_provision_at_start_date():
    for pid, p in load_kb().provision_by_id.items():
        for v in p.versions:
            assert v.id == f"{pid}@{v.in_force_from.isoformat()}"


def test_published_version_ids_are_still_there():
    # Incidents store these ids; removing or renaming one breaks every link to it.
    published = {
        "sexual-crimes-act:14-2@2020-06-25",
        "sexual-crimes-act:14-2@2024-10-16",
        "sexual-crimes-act:14-3@2020-05-19",
        "sexual-crimes-act:14-3@2024-10-16",
        "sexual-crimes-act:14@2020-05-19",
        "child-protection-act:11@2020-06-02",
        "child-protection-act:11-2@2024-10-16",
    }
    assert published <= set(load_kb().version_by_id)


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "korea"
    shutil.copytree(KB_DIR, target)
    return target


def _break(kb: Path, name: str, old: str, new: str) -> None:
    path = kb / "laws" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(kb: Path, name: str, needle: str) -> int:
    lines = (kb / "laws" / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unknown_conduct_names_file_line_and_field(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    _break(
        kb,
        "sexual-crimes-act.yaml",
        "conducts: [possess, purchase, store, view]",
        "conducts: [possess, purchase, store, watch]",
    )
    [error] = check_kb(kb)
    assert error.file == "laws/sexual-crimes-act.yaml"
    assert error.line == _line_of(kb, "sexual-crimes-act.yaml", "store, watch]")
    assert error.field.endswith("conducts.3")
    assert "sexual-crimes-act.yaml:" in str(error)


def test_overlapping_versions_are_refused(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    _break(kb, "sexual-crimes-act.yaml", "in_force_to: 2024-10-15", "in_force_to: 2024-10-20")
    [error] = check_kb(kb)
    assert error.field == "provisions.1.versions"
    assert "overlaps" in error.message
    assert error.line is not None


def test_unexplained_gap_is_refused(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    _break(kb, "sexual-crimes-act.yaml", "in_force_to: 2024-10-15", "in_force_to: 2024-10-01")
    [error] = check_kb(kb)
    assert "gap_reason" in error.message


def test_version_without_source_is_refused(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    _break(kb, "juvenile-act.yaml", "        source:\n", "        sauce:\n")
    [error] = check_kb(kb)
    assert error.file == "laws/juvenile-act.yaml"
    assert "source" in error.field or "sauce" in error.field


def test_unverified_version_needs_a_note(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    # A verified version without a note, turned unverified: the note becomes required.
    flag = "        verified: true\n\n  - id: child-protection-act:11\n"
    _break(kb, "child-protection-act.yaml", flag, flag.replace("true", "false"))
    [error] = check_kb(kb)
    assert "verification_note" in error.message


def test_amendment_naming_unknown_provision_is_refused(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    path = kb / "amendments.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("provision: sexual-crimes-act:14-2\n", "provision: sexual-crimes-act:99\n", 1)
    )
    errors = check_kb(kb)
    assert errors and errors[0].file.endswith("amendments.yaml")
    assert errors[0].line is not None and "99" in errors[0].message


def test_yaml_syntax_error_is_reported_with_line(tmp_path: Path):
    kb = _copy_kb(tmp_path)
    _break(kb, "network-act.yaml", "law: network-act", "law: [network-act")
    errors = check_kb(kb)
    assert isinstance(errors[0], KBError) and errors[0].field == "(syntax)"
