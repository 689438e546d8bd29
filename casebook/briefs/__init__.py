"""Word briefs built from data: incident brief, advocacy brief, institution report and
statute comparison memo, in Korean and English (issue 8).

Public verbs: ``generate_brief``, ``regenerate``, ``outline``; each builder module also
exposes its pure ``build_*`` function (data in, bytes out).
"""

from casebook.briefs.records import GeneratedBrief, generate_brief, outline, regenerate

__all__ = ["GeneratedBrief", "generate_brief", "outline", "regenerate"]
