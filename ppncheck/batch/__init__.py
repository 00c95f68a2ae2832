"""Whole exports: streaming and parallel checking (runner), batch-level TPL002 (templated),
and the seeded generator of fictional exports (synthetic)."""
