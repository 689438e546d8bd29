"""Incidents and what hangs off them: the form's rules and the store (with optimistic
locking), queries and search, legal links, the workflow, institutions, chat rooms,
takedowns, evidence fingerprints and erasure, tasks and legal deadlines (what is due).

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
        "tasks": ("add_task", "update_task", "set_task_done", "list_tasks", "check_assignee"),
        "deadlines": (
            "incident_deadlines",
            "derived_deadlines",
            "start_deadline",
            "add_limitation",
            "confirm_deadline",
            "set_deadline_done",
            "assign_deadline",
            "recent_trigger_events",
            "trigger_kinds",
            "merge_deadlines",
        ),
        "removals": (
            "request_removals",
            "add_removal_step",
            "record_recheck",
            "removal_requests",
            "recheck_schedule",
            "next_check",
            "add_months",
            "due_rechecks",
        ),
        "due": ("what_is_due", "due_count", "calendar_feed", "assignable_users"),
        "confidential": ("case_access", "set_confidential"),
        "consent": ("get_consent", "record_consent", "require_consent"),
    },
)
