"""Briefs built from data: incident brief, advocacy brief, institution report and
statute comparison memo, in Korean and English (issue 8), each written as Word (DOCX)
and Hangul (HWPX) from the same document model (issue 23).

Public verbs: ``generate_brief``, ``generate_briefs``, ``regenerate``, ``outline``; each
builder module also exposes its pure ``*_document`` function (data in, document model
out) and ``build_*`` (data in, bytes out).
"""

from casebook.briefs.records import (
    GeneratedBrief,
    generate_brief,
    generate_briefs,
    outline,
    regenerate,
)

__all__ = ["GeneratedBrief", "generate_brief", "generate_briefs", "outline", "regenerate"]
