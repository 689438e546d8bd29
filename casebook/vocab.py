"""Controlled vocabularies shared by the knowledge base, incidents, imports and briefs.

Each value is a stable machine word; labels live in the message catalogs under
``vocab.<group>.<value>``.
"""

from typing import Final

# What was done with the material. The knowledge base tags every provision
# version with the subset it covers; incidents record which of these happened.
CONDUCTS: Final = (
    "create",
    "distribute",
    "sell",
    "possess",
    "purchase",
    "store",
    "view",
    "threaten",
    "coerce",
)

# Who the victim was, as the law distinguishes them ("any" only in the KB).
VICTIMS: Final = ("adult", "minor")
VICTIM_SCOPES: Final = ("adult", "minor", "any")

ROLES: Final = ("admin", "lawyer", "advocate", "viewer")

INSTITUTION_KINDS: Final = (
    "university",
    "high_school",
    "middle_school",
    "elementary_school",
    "workplace",
    "military",
    "other",
)

# The 17 first-level divisions of Korea (시·도), by their official romanisation.
REGIONS: Final = (
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "gwangju",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "jeonnam",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
)

PLATFORMS: Final = ("telegram", "discord", "kakaotalk", "x", "instagram", "other")

ROOM_KINDS: Final = ("group", "channel", "bot")

# Incident status; the workflow of allowed transitions lives in casebook.incidents.workflow.
STATUSES: Final = (
    "reported",
    "investigating",
    "suspect_identified",
    "arrested",
    "released",
    "referred",
    "indicted",
    "convicted",
    "acquitted",
    "dismissed",
    "closed",
)

SUSPECT_AGE_BANDS: Final = ("under14", "14to19", "20s", "30plus", "unknown")

VICTIM_GROUPS: Final = ("students", "teachers", "staff", "other")

OBSTACLES: Final = (
    "server_abroad",
    "platform_uncooperative",
    "only_viewed_claim",
    "victim_gathered_evidence",
    "suspect_unidentified",
    "other",
)
