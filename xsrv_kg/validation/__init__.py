"""Validation: the shapes checked against the data, and the report a reader can use.

Temporary re-exports while the package is split (see the code-health issue)."""

from .pyshacl_engine import (
    SEVERITIES,
    Report,
    Result,
    payload_report,
    store_report,
    validate,
    validate_project,
)

__all__ = ["SEVERITIES", "Report", "Result", "payload_report", "store_report", "validate",
           "validate_project"]
