"""Fixtures from copydesk.testing, made available to every test by name."""

from copydesk.testing import copydesk_analyze, edge_case_text  # noqa: F401
