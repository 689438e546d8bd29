"""Operator tasks: migrate the database, create the first admin, back up and restore,
load and remove the demo data.

Its public functions are listed below by module; each is imported on first use
(casebook.facade), so importing one module does not load the whole package.
"""

from casebook.facade import facade

__getattr__, __dir__, __all__ = facade(
    __name__,
    {
        "migrate": ("upgrade", "downgrade", "alembic_config"),
        "bootstrap": ("ensure_admin",),
        "backup": ("create_backup", "database_revision"),
        "restore": ("restore_backup", "load_backup"),
        "demo": ("load_demo", "remove_demo", "has_demo"),
    },
)
