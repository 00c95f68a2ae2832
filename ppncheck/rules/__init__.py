"""Step 5 of a record's flow: rules turn a validated record and its text analyses into findings.

One module per family; each exposes ``check(ctx) -> Iterable[Finding]``.
"""
