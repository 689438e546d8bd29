"""Text hygiene: strip control characters, normalise Korean names for matching."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Unicode's format characters (category Cf: bidi overrides and isolates, zero-width
# spaces and joiners, the BOM, soft hyphen, tags), which are invisible and can disguise
# a title in lists, exports and briefs, as ranges (Python has no \p{Cf}); a test checks
# the list against unicodedata. U+2028/U+2029 separate lines: they become a space.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
_CORP_SUFFIX = re.compile(r"\(\s*(주|사|재|유)\s*\)|주식회사|㈜")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str | None, max_length: int | None = None) -> str:
    """NFC, no control or format (Cf) characters except tab and newline, Unicode line
    separators as spaces, optional length cap."""
    if not text:
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))
    if not text.isascii():
        text = _LINE_SEPARATORS.sub(" ", _FORMAT.sub("", text))
    return text[:max_length] if max_length else text


def normalize_name(name: str) -> str:
    """The comparison form of an institution name: NFC, no "(주)", punctuation or extra spaces."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _CORP_SUFFIX.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


# Long and short forms of Korean institution names: "서울대학교" is "서울대",
# "한국여자고등학교" is "한국여고". Longest first, so "여자고등학교" wins over "고등학교".
_KO_SHORT_FORMS = (
    ("여자고등학교", "여고"),
    ("여자중학교", "여중"),
    ("여자대학교", "여대"),
    ("고등학교", "고"),
    ("중학교", "중"),
    ("초등학교", "초"),
    ("대학교", "대"),
    ("university", "대"),
    ("univ", "대"),
)


def match_key(name: str) -> str:
    """A stricter comparison form for finding duplicates: normalize_name, then Korean
    long forms shortened ("대학교" → "대") and every space removed, because Korean
    names are spaced inconsistently ("서울 대학교", "서울대학교"). NFKC first, so that
    full-width letters typed on Korean keyboards ("ＫＡＩＳＴ") match half-width ones."""
    text = normalize_name(unicodedata.normalize("NFKC", name))
    for long, short in _KO_SHORT_FORMS:
        text = text.replace(long, short)
    return text.replace(" ", "")
