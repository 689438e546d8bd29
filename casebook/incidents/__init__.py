"""Incidents and what hangs off them: the form's rules and the store (with optimistic
locking), queries and search, legal links, the workflow, institutions, chat rooms,
takedowns, evidence fingerprints and erasure.

Its public functions are listed below by module; each is imported on first use
(casebook.facade), so importing one module does not load the whole package.
"""

from casebook.facade import facade

__getattr__, __dir__, __all__ = facade(
    __name__,
    {
        "store": (
            "validate_incident",
            "record_incident",
            "update_incident",
            "get_incident",
            "form_data",
            "can_reveal",
        ),
        "locking": ("bump_version",),
        "queries": ("list_incidents", "iter_incident_ids", "filter_clauses"),
        "search": ("text_clause",),
        "legal_links": (
            "link_incident",
            "engine_links",
            "links_for",
            "victim_group",
            "gap_between",
            "add_link",
            "set_link_state",
            "list_links",
            "describe",
        ),
        "workflow": ("allowed_next", "check_transition", "add_event", "timeline"),
        "institutions": (
            "create_institution",
            "get_institution",
            "list_institutions",
            "count_institutions",
            "find_by_name",
            "likely_duplicates",
            "merge_institutions",
            "update_institution",
        ),
        "rooms": ("create_room", "get_room", "list_rooms", "observe_members"),
        "takedowns": (
            "request_takedown",
            "resolve_takedown",
            "list_takedowns",
            "days_to_removal_by_platform",
        ),
        "evidence": (
            "fingerprint",
            "register_evidence",
            "add_custody_event",
            "list_evidence",
            "find_matches",
        ),
        "erasure": ("purge_incident", "purge_incident_details"),
        "confidential": ("case_access", "set_confidential"),
        "consent": ("get_consent", "record_consent", "require_consent"),
    },
)
