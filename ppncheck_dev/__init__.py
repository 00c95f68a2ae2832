"""Development-only code for ppncheck: in the repository and the sdist, never in the wheel.

- ``synthetic``: the seeded generator of fictional PPN exports that the tests, the
  benchmarks and ``examples/export/`` are made from (``python -m ppncheck_dev.synthetic``,
  from the repository's root).

The tests import it through ``tests/conftest.py``, which puts the repository's root on the
path after the installed package, so CI's non-editable install is still what is tested.
"""
