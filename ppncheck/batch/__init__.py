"""Whole exports: streaming and parallel checking (runner) and batch-level TPL002 (templated).

The seeded generator of fictional exports the tests and benchmarks use is development code:
``ppncheck_dev.synthetic``, outside the wheel."""
