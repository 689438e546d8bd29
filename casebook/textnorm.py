"""Text hygiene: strip control characters, normalise Korean names for matching."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CORP_SUFFIX = re.compile(r"\(\s*(주|사|재|유)\s*\)|주식회사|㈜")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str | None, max_length: int | None = None) -> str:
    """NFC, no control characters except tab and newline, optional length cap."""
    if not text:
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))
    return text[:max_length] if max_length else text


def normalize_name(name: str) -> str:
    """The comparison form of an institution name: NFC, no "(주)", punctuation or extra spaces."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = _CORP_SUFFIX.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()
