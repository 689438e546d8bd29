"""CLI command groups, one module per subject."""
