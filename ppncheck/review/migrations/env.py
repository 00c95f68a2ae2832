"""Alembic environment: migrations run on the connection ``store.upgrade`` hands over."""

from __future__ import annotations

from alembic import context

from ppncheck.review.store import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` against a URL in the ini file
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url") or "").connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
