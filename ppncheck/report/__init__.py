"""Report writers (step 6 of a record's flow): text, json, jsonl, csv, html and officer feedback.

Every writer is a ``ReportSink``: it receives each record's input item and report, in input
order, as soon as it is checked, and never keeps them; ``close`` gets the batch summary.
"""

from ppncheck.report.base import ReportSink

__all__ = ["ReportSink"]
