"""Search the law knowledge base in Korean and English.

Plain substring matching over a small prepared index, so that one- and two-syllable
Korean words ("시청", "소지") match; the whole KB is a few dozen provisions, so a scan
answers in well under a millisecond. Ranking: where the word matched (title and
keywords above summaries), then provisions still in force.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from casebook.law.answers import SearchHit
from casebook.law.load import load_kb
from casebook.law.schema import Provision

HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Words people use for each conduct; the KB stores conduct as vocabulary codes.
CONDUCT_WORDS = {
    "create": ("제작 편집 합성 가공 촬영", "create creation make making edit synthesise"),
    "distribute": ("반포 유포 배포 제공 전시", "distribute distribution spread share"),
    "sell": ("판매 영리", "sell sale selling profit"),
    "possess": ("소지 보관", "possess possession keep"),
    "purchase": ("구입 구매", "purchase buy buying"),
    "store": ("저장", "store storage save download"),
    "view": ("시청 열람", "view viewing watch watching"),
    "threaten": ("협박", "threaten threat blackmail"),
    "coerce": ("강요", "coerce coercion force"),
}
WEIGHTS = {
    "title": 6.0,
    "article": 5.0,
    "keyword": 4.0,
    "conduct": 3.0,
    "law": 2.0,
    "summary": 2.0,
    "detail": 1.0,
}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


@dataclass(frozen=True)
class _Field:
    kind: str
    lang: str
    text: str
    flat: str  # without spaces, so "허위 영상물" finds "허위영상물"


def _field(kind: str, lang: str, text: str) -> _Field:
    norm = _norm(text)
    return _Field(kind, lang, text, re.sub(r"\s+", "", norm))


def _fields(p: Provision) -> list[_Field]:
    law = load_kb().law_of_provision[p.id]
    out = [
        _field("title", "ko", p.title.ko),
        _field("title", "en", p.title.en),
        _field("article", "ko", p.article),
        _field("article", "en", p.article_en),
        _field("article", "en", p.id),
    ]
    out += [_field("keyword", "ko" if HANGUL.search(k) else "en", k) for k in p.keywords]
    out += [
        _field("law", "ko", f"{law.name_ko} {law.short_ko}"),
        _field("law", "en", f"{law.name_en} {law.short_en}"),
    ]
    conducts = {c for v in p.versions for par in v.paragraphs for c in par.conducts}
    for c in sorted(conducts):
        out += [
            _field("conduct", "ko", CONDUCT_WORDS[c][0]),
            _field("conduct", "en", CONDUCT_WORDS[c][1]),
        ]
    for v in p.versions:
        out += [_field("summary", "ko", v.summary.ko), _field("summary", "en", v.summary.en)]
        for par in v.paragraphs:
            for t in (par.summary, *par.requirements):
                out += [_field("detail", "ko", t.ko), _field("detail", "en", t.en)]
    return out


@cache
def _index() -> tuple[tuple[Provision, tuple[_Field, ...]], ...]:
    return tuple((p, tuple(_fields(p))) for p in load_kb().provision_by_id.values())


def _term_score(term: str, fields: tuple[_Field, ...], lang: str | None) -> tuple[float, str]:
    score, snippet = 0.0, ""
    flat = re.sub(r"\s+", "", term)
    for f in fields:
        if lang and f.lang != lang or flat not in f.flat:
            continue
        weight = WEIGHTS[f.kind]
        if f.flat == flat:
            weight *= 2
        score = max(score, weight) + (0.1 if score else 0)
        if not snippet or f.kind in ("summary", "detail") and len(f.text) > len(snippet):
            snippet = f.text
    return score, snippet


def _snippet(text: str, term: str, width: int = 70) -> str:
    at = _norm(text).find(term)
    if at < 0 or len(text) <= width:
        return text[:width]
    start = max(0, at - width // 3)
    return ("…" if start else "") + text[start : start + width] + "…"


def search(query: str, lang: str | None = None) -> list[SearchHit]:
    """Provisions matching every word of ``query``, best first."""
    terms = [t for t in _norm(query).split() if t]
    if not terms:
        return []
    hits = []
    for p, fields in _index():
        scores = [_term_score(t, fields, lang) for t in terms]
        if not all(s for s, _ in scores):
            continue
        total = sum(s for s, _ in scores) + (0.5 if p.versions[-1].in_force_to is None else 0)
        law = load_kb().law_of_provision[p.id]
        hits.append(
            SearchHit(
                p.id,
                law.name_ko,
                law.name_en,
                p.article,
                p.article_en,
                p.title.ko,
                p.title.en,
                p.kind,
                round(total, 2),
                _snippet(scores[0][1], terms[0]),
                terms,
            )
        )
    return sorted(hits, key=lambda h: (-h.score, h.provision_id))
