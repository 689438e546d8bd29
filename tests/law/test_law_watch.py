"""Issue 18: `law watch PATH` lists promulgations after each law's checked date that change a
modelled article, on a small git repository built here in the mirror's format (no network)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from casebook.cli import main
from casebook.law.load import load_kb
from casebook.law.watch import articles, modelled_articles, watch

LAW_FILE = "kr/형법/법률.md"


def _text(act_no: str, promulgated: str, in_force: str, art1: str, art350: str) -> str:
    return f"""---
제목: 형법
공포일자: {promulgated}
공포번호: '{act_no}'
시행일자: {in_force}
상태: 시행
---

# 형법

##### 제1조 (범죄의 성립과 처벌)

{art1}

##### 제350조 (공갈)

**①** {art350}

## 부칙

부칙 <제{act_no}호>
"""


def _commit(repo: Path, text: str, when: str, message: str) -> str:
    path = repo / LAW_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{when}T12:00:00+09:00",
        "GIT_COMMITTER_DATE": f"{when}T12:00:00+09:00",
    }
    git = ["git", "-C", str(repo), "-c", "user.name=bot", "-c", "user.email=bot@example.org"]
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-qm", message], check=True, env=env)
    out = subprocess.run([*git, "rev-parse", "HEAD"], check=True, env=env, capture_output=True)
    return out.stdout.decode().strip()


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "mirror"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    base = "사람을 공갈하여 재물의 교부를 받은 자는 10년 이하의 징역에 처한다."
    shas = {
        # Before the KB's checked date (2026-06-05): already reviewed.
        "old": _commit(
            repo,
            _text("21000", "2026-01-10", "2026-01-10", "행위 시의 법률", base),
            "2026-01-10",
            "형법 (일부개정)",
        ),
        # After: changes Art. 350, which the KB models.
        "new": _commit(
            repo,
            _text(
                "22000", "2026-07-01", "2026-10-02", "행위 시의 법률", base.replace("10년", "12년")
            ),
            "2026-07-01",
            "형법 (일부개정)",
        ),
        # After: changes Art. 1 only, which the KB does not model.
        "other": _commit(
            repo,
            _text(
                "22100", "2026-08-01", "2026-08-01", "행위시의 법률", base.replace("10년", "12년")
            ),
            "2026-08-01",
            "형법 (일부개정)",
        ),
    }
    return repo, shas


def test_lists_only_later_promulgations_that_touch_a_modelled_article(mirror) -> None:
    repo, shas = mirror
    found = watch(repo)
    assert [(p.law, p.commit, p.act_no, p.articles) for p in found] == [
        ("criminal-act", shas["new"], "22000", ["350"])
    ]
    [p] = found
    assert (p.promulgated.isoformat(), p.in_force.isoformat()) == ("2026-07-01", "2026-10-02")


def test_cli_exits_1_when_something_is_new(mirror, capsys) -> None:
    repo, shas = mirror
    code = main(["--lang", "en", "law", "watch", str(repo)])
    out = capsys.readouterr().out
    assert code == 1
    assert "criminal-act: Act 22000, promulgated 2026-07-01, in force 2026-10-02" in out
    assert shas["new"] in out and shas["other"] not in out
    code = main(["law", "watch", str(repo), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and [p["act_no"] for p in data["new"]] == ["22000"]


def test_cli_exits_0_when_nothing_is_new(tmp_path, capsys) -> None:
    repo = tmp_path / "quiet"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _commit(repo, _text("21000", "2026-01-10", "2026-01-10", "a", "b"), "2026-01-10", "old")
    _commit(repo, _text("22100", "2026-08-01", "2026-08-01", "c", "b"), "2026-08-01", "art 1")
    code = main(["--lang", "ko", "law", "watch", str(repo)])
    assert code == 0 and "새 공포가 없습니다" in capsys.readouterr().out


def test_not_a_repository_exits_2(tmp_path, capsys) -> None:
    code = main(["--lang", "en", "law", "watch", str(tmp_path)])
    assert code == 2 and "not a git repository" in capsys.readouterr().err


def test_modelled_articles_expand_ranges() -> None:
    sca = next(x for x in load_kb().laws if x.law == "sexual-crimes-act")
    keys = modelled_articles(sca)
    assert {"14", "14-2", "14-3", "15", "15-3", "21", "23-2"} <= keys
    assert {f"22-{n}" for n in range(2, 12)} <= keys


def test_articles_split_on_headings_and_leave_out_the_addenda() -> None:
    arts = articles(_text("1", "2026-01-01", "2026-01-01", "x", "y"))
    assert set(arts) == {"1", "350"} and "부칙" not in arts["350"]
