"""The legal knowledge base: the schemas of kb/*.yaml, loading and checking them, and the
one answer "for conduct C against victim V on date D, which provisions applied, with
what penalty, and what changed later" (``applicable_law``), with search, foreign law
and national figures.

Its public functions are listed below by module; each is imported on first use
(casebook.facade), so importing one module does not load the whole package.
"""

from casebook.facade import facade

__getattr__, __dir__, __all__ = facade(
    __name__,
    {
        "engine": (
            "applicable_law",
            "search_law",
            "get_provision",
            "get_version",
            "version_on",
            "diff_versions",
            "conduct_timeline",
            "amendments",
            "laws",
            "law_of",
        ),
        "load": ("load_kb", "check_kb", "build_kb"),
        "periods": (
            "deadline_rules",
            "holidays",
            "holiday_on",
            "is_closed",
            "holidays_known",
            "count_days",
            "period_rule",
            "rules_for_event",
            "add_years",
            "majority_day",
            "limitation_years",
            "limitation",
        ),
        "status": ("load_knowledge_base",),
        "foreign": (
            "foreign_provisions",
            "foreign_provision",
            "foreign_for_conduct",
            "jurisdictions",
        ),
        "national": (
            "national_figures",
            "figures_by_metric",
            "metrics",
            "series",
            "age_band_shares",
        ),
    },
)
