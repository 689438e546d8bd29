"""Issue 18: `law check` fails on a source host that is not primary or press, on a mirror link
that names a branch, and on a confirmed fact with no link to an official text."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.law.sources import KB_ROOT, check_sources, load_allow_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(KB_ROOT, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_knowledge_base_cites_only_allowed_sources() -> None:
    assert [str(e) for e in check_sources()] == []


def test_law_check_passes_on_this_checkout() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "casebook", "law", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "KB ok" in out.stdout


@pytest.mark.parametrize(
    "bad",
    [
        "https://theqoo.net/square/3611787494",  # community forum
        "https://gslow.tistory.com/1088",  # personal blog
        "https://kuk-test.kode.co.kr/article/list",  # staging host
        "https://www.daeryunlaw-assault.com/info/358",  # law-firm marketing
        "https://m.news.zum.com/articles/92900899",  # portal copy
    ],
)
def test_a_forum_blog_or_staging_host_is_reported_with_file_and_line(
    kb_copy: Path, bad: str
) -> None:
    law_file = kb_copy / "korea" / "laws" / "criminal-act.yaml"
    _edit(law_file, "secondary: [", f'secondary: ["{bad}", ')
    errors = check_sources(kb_copy)
    assert len(errors) == 1
    err = errors[0]
    assert err.file == "kb/korea/laws/criminal-act.yaml" and err.line and err.line > 1
    assert "allow-list" in err.message and bad in err.message
    assert "secondary" in err.field


def test_a_mirror_link_on_a_branch_is_reported(kb_copy: Path) -> None:
    law_file = kb_copy / "korea" / "laws" / "criminal-act.yaml"
    text = law_file.read_text(encoding="utf-8")
    pinned = "blob/7ff0a5247bede6a407434f9bd4eab9ff16b37aac/"
    assert pinned in text
    law_file.write_text(text.replace(pinned, "blob/main/", 1), encoding="utf-8")
    errors = check_sources(kb_copy)
    assert len(errors) == 1 and "commit" in errors[0].message


def test_a_statistics_source_on_a_forum_is_reported(kb_copy: Path) -> None:
    stats = kb_copy / "statistics" / "knpa.yaml"
    _edit(stats, "https://vop.co.kr/A00001669823.html", "https://www2.ppomppu.co.kr/zboard/x")
    errors = check_sources(kb_copy)
    assert [e.file for e in errors] == ["kb/statistics/knpa.yaml"]


def test_a_confirmed_fact_without_an_official_link_is_reported(kb_copy: Path) -> None:
    # A confirmed foreign provision cited only to the press has no official source.
    foreign = kb_copy / "foreign" / "au.yaml"
    text = foreign.read_text(encoding="utf-8")
    official = next(line.split("url: ")[1] for line in text.splitlines() if "url: " in line)
    foreign.write_text(
        text.replace(official, "https://www.channelnewsasia.com/x", 1), encoding="utf-8"
    )
    errors = check_sources(kb_copy)
    assert len(errors) == 1 and "official text" in errors[0].message


def test_the_allow_list_lives_in_kb() -> None:
    allow = load_allow_list()
    assert "law.go.kr" in allow.official and "newsis.com" in allow.press
    assert allow.problem("https://www.law.go.kr/법령/형법") is None
    assert allow.problem("https://sub.theqoo.net/x") is not None
