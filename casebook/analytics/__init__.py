"""Dashboards and statistics: the filter, the dashboard's series, outcome events, the
national comparison, the Overview numbers, charts, and the summary table kept by
triggers (``rebuild_summaries`` repairs it).

Its public functions are listed below by module; each is imported on first use
(casebook.facade), so importing one module does not load the whole package.
"""

from casebook.facade import facade

__getattr__, __dir__, __all__ = facade(
    __name__,
    {
        "dashboards": ("dashboard", "data_version", "stats_summary"),
        "filters": ("make_filter", "whole_months"),
        "events": (
            "releases",
            "release_counts",
            "legal_links",
            "police_days",
            "takedown_days",
            "institution_response",
        ),
        "statistics": ("comparison", "cases_by_year", "disagreements"),
        "summaries": ("rebuild_summaries",),
    },
)
