"""Casebook: incident tracking, a legal knowledge base and Word briefs for
people fighting deepfake sexual crimes in Korea.

This package holds every rule, query and document. It never imports streamlit.
"""

__version__ = "0.1.0"
