"""The VAT review workbench: a checked batch in a store, reviewed in a local web app.

The flow of a batch through this package:

``importer.py``  check an export with the batch runner (the same path as ``ppncheck check``)
                 and write each note, its findings and the batch's shared passages to the store;
``store.py``     the tables (SQLAlchemy) and their migrations (Alembic, run on open); decisions
                 are append-only rows keyed by ``finding_key``, so they survive re-imports;
``queries.py``   what the pages ask of the store: the queue, a note, drafts, the VAT list;
``app.py``       the FastAPI app: token, CSRF, pages (templates/) and assets (static/);
``server.py``    binding 127.0.0.1, the session token, the one-line URL, uvicorn without logs.

Everything here needs the ``review`` extra (``pip install "ppncheck[review]"``); ``ppncheck
check`` never imports it.
"""
