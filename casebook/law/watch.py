"""`law watch PATH`: what the official-text mirror promulgated after the KB was checked.

The mirror (a git repository of Korean statutes, one commit per promulgation, front matter
with 공포번호/공포일자/시행일자) is read with plain ``git``. For each statute in kb/korea/laws,
every commit that touches its ``mirror_path`` and was promulgated after its ``checked`` date is
compared with its parent, article by article; a commit that changes an article the KB models
is listed with its act number and dates, so that the person who keeps the KB knows what to
review. Nothing here writes to the mirror or the KB.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from casebook.law.answers import LawQueryError
from casebook.law.load import load_kb
from casebook.law.schema import LawFile

_HEADING = re.compile(r"^#{2,6}\s*제(\d+)조(?:의(\d+))?\b", re.M)
_ARTICLE = re.compile(r"제(\d+)조(?:의(\d+))?")
_FRONT = re.compile(r"^(공포번호|공포일자|시행일자):\s*'?([^'\n]*)'?\s*$", re.M)


@dataclass(frozen=True)
class Promulgation:
    """One promulgation after a law's checked date that changes an article the KB models."""

    law: str
    commit: str
    act_no: str
    promulgated: date | None
    in_force: date | None
    articles: list[str]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("promulgated", "in_force"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _key(main: str, sub: str | None) -> str:
    return f"{int(main)}-{int(sub)}" if sub else str(int(main))


def modelled_articles(law: LawFile) -> set[str]:
    """Article keys ("11", "15-2") the KB models for ``law``; ranges (제22조의2~제22조의11)
    and "이하" (and following) are expanded to the sub-articles they cover."""
    keys: set[str] = set()
    for p in law.provisions:
        found = _ARTICLE.findall(p.article)
        if not found:
            continue
        main, sub = found[0]
        keys.add(_key(main, sub or None))
        if "~" in p.article and len(found) > 1:
            end_main, end_sub = found[-1]
            if end_main == main and sub and end_sub:
                keys |= {_key(main, str(n)) for n in range(int(sub), int(end_sub) + 1)}
        elif "이하" in p.article:
            start = int(sub or 0)
            keys |= {_key(main, str(n)) for n in range(max(start, 2), 31)}
    return keys


def articles(text: str) -> dict[str, str]:
    """The text of each article of a mirror file, by key; the addenda (부칙) are left out."""
    body = text.split("\n## 부칙", 1)[0]
    heads = list(_HEADING.finditer(body))
    out: dict[str, str] = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        out.setdefault(_key(m.group(1), m.group(2)), body[m.start() : end].strip())
    return out


def _front(text: str) -> dict[str, str]:
    return {k: v.strip() for k, v in _FRONT.findall(text.split("\n---", 2)[0] + "\n")}


def _git(repo: Path, *args: str) -> str | None:
    out = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    return out.stdout if out.returncode == 0 else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _commits(repo: Path, path: str, after: date) -> list[tuple[str, date]]:
    # --since (committer date, which the mirror's bot sets equal to the promulgation date)
    # only saves walking 80,000 old commits; the author date is what is compared.
    since = (after - timedelta(days=31)).isoformat()
    log = _git(repo, "log", f"--since={since}", "--format=%H %ad", "--date=short", "--", path)
    log = log or ""
    out = []
    for line in log.splitlines():
        sha, _, day = line.partition(" ")
        when = _date(day)
        if when:
            out.append((sha, when))
    return out


def watch(repo: Path) -> list[Promulgation]:
    """Promulgations after each law's ``checked`` date that change a modelled article."""
    if _git(repo, "rev-parse", "--git-dir") is None:
        raise LawQueryError(
            f"{repo}: git 저장소가 아닙니다 (공식 조문 미러의 로컬 복제본을 주세요)",
            f"{repo}: not a git repository (give a local clone of the official-text mirror)",
        )
    found: list[Promulgation] = []
    for law in load_kb().laws:
        if not law.mirror_path:
            continue
        wanted = modelled_articles(law)
        for sha, day in _commits(repo, law.mirror_path, law.checked):
            if day <= law.checked:
                continue
            new = _git(repo, "show", f"{sha}:{law.mirror_path}") or ""
            old = _git(repo, "show", f"{sha}^:{law.mirror_path}") or ""
            a, b = articles(old), articles(new)
            changed = sorted(
                (k for k in wanted if a.get(k) != b.get(k)),
                key=lambda k: tuple(int(x) for x in k.split("-")),
            )
            if not changed:
                continue
            meta = _front(new)
            found.append(
                Promulgation(
                    law.law,
                    sha,
                    meta.get("공포번호", ""),
                    _date(meta.get("공포일자")) or day,
                    _date(meta.get("시행일자")),
                    changed,
                )
            )
    return sorted(found, key=lambda p: (p.promulgated or date.min, p.law, p.commit))
