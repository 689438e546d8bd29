"""Who may do what, and the trail of what was done: the permission matrix, sign-in and
two-factor sign-in, users, encryption keys and the hash-chained audit log.

Its public functions are listed below by module; each is imported on first use
(casebook.facade), so importing one module does not load the whole package.
"""

from casebook.facade import facade

__getattr__, __dir__, __all__ = facade(
    __name__,
    {
        "permissions": ("can", "require"),
        "auth": (
            "authenticate",
            "sign_in",
            "hash_password",
            "verify_password",
            "check_password_strength",
            "generate_password",
        ),
        "totp": (
            "begin_totp",
            "confirm_totp",
            "disable_totp",
            "reset_totp",
            "set_totp_policy",
            "totp_required_roles",
            "totp_setup_needed",
        ),
        "users": (
            "create_user",
            "list_users",
            "count_users",
            "update_user",
            "change_password",
            "set_password",
        ),
        "visibility": (
            "access_level",
            "open_incident",
            "visible_clause",
            "redact",
            "visible_fields",
            "require_text",
            "escape_like",
            "require_writable",
            "who_sees_what",
        ),
        "crypto": ("encrypt", "decrypt", "current_key"),
        "keys": ("rotate_keys",),
        "audit": (
            "record",
            "record_many",
            "snapshot",
            "verify_chain",
            "check_chain",
            "list_audit",
            "audit_page",
        ),
    },
)
