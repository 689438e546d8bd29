"""The sections of one incident's page (view.SECTIONS lists them in order)."""
