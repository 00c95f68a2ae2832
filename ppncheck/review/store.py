"""The review store: tables, migrations and opening a store by path or URL.

Why this shape
--------------
* **One file by default, a server when a team needs one.** The store is SQLite at a path
  (``--store review.sqlite3``) or any SQLAlchemy URL (``postgresql+psycopg://...``).  The schema
  is created and upgraded by the Alembic migrations shipped in ``migrations/`` (``alembic
  upgrade head``, run programmatically whenever a store is opened), never by ``create_all``,
  so a force's PostgreSQL store moves forward with the package.
* **Decisions outlive notes.** A decision is a row of its own, keyed by ``finding_key``
  (ppn_id, rule, field, digest of the flagged text) and never updated: the latest row for a key
  wins, so two reviewers deciding at once both leave their row, and a re-import that replaces a
  note's findings finds the decisions of unchanged text again while changed text comes back
  undecided.  ``findings.decision`` and ``notes.pending`` are a cache of the latest decision,
  recomputed from the decisions table (never incremented), so the queue can filter on them.
* **Batch findings apart.** TPL002 is about the batch, not one note: each shared passage is one
  ``batch_findings`` row with its notes (``batch_finding_notes``), shown once in a batch panel.

To change the schema: edit the models, then add a revision under ``migrations/versions``
(``alembic -c <a config naming script_location=ppncheck/review/migrations> revision -m ...``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
DECISIONS = {
    "accept": "Accepted: goes to the officer",
    "false_alarm": "Dismissed: false alarm",
    "acceptable_here": "Dismissed: acceptable here",
    "reopen": "Reopened",
}
NEEDS_REASON = frozenset({"acceptable_here"})


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Batch(Base):
    """One import of one export file."""

    __tablename__ = "batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(512))
    digest: Mapped[str] = mapped_column(String(64), index=True)  # file + mapping + config
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str | None] = mapped_column(String(120))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    unreadable: Mapped[int] = mapped_column(Integer, default=0)


class Note(Base):
    """A note as last imported: who wrote it, what it says, counts for the queue."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # ppn_id, or "<source>#row<N>" for a row without one (PPN000) or a repeated ppn_id
    key: Mapped[str] = mapped_column(String(600), unique=True)
    ppn_id: Mapped[str | None] = mapped_column(String(300), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    source: Mapped[str] = mapped_column(String(512), index=True)
    row: Mapped[int] = mapped_column(Integer)
    collar: Mapped[str] = mapped_column(String(120), index=True)
    officer_name: Mapped[str | None] = mapped_column(String(300))
    team: Mapped[str] = mapped_column(String(300), index=True)
    ppn_type: Mapped[str | None] = mapped_column(String(300), index=True)
    submitted: Mapped[str | None] = mapped_column(String(40))
    record: Mapped[str | None] = mapped_column(Text)  # the record (or note) as JSON
    unreadable: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    n_error: Mapped[int] = mapped_column(Integer, default=0)
    n_warning: Mapped[int] = mapped_column(Integer, default=0)
    n_info: Mapped[int] = mapped_column(Integer, default=0)
    worst: Mapped[int] = mapped_column(Integer, default=-1)  # Severity.rank, -1 for none
    pending: Mapped[int] = mapped_column(Integer, default=0)  # findings without a decision

    __table_args__ = (Index("ix_notes_queue", "worst", "n_error", "n_warning", "id"),)


class FindingRow(Base):
    """One finding of one note (TPL002 excepted: see BatchFinding)."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    rank: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(300))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    details: Mapped[str | None] = mapped_column(Text)  # JSON
    # finding_key: (ppn_id, rule, field, text digest), and the four joined, for lookups
    key: Mapped[str] = mapped_column(String(700), index=True)
    key_ppn_id: Mapped[str] = mapped_column(String(300))
    key_field: Mapped[str] = mapped_column(String(300))
    key_digest: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str | None] = mapped_column(String(20))  # cache of the latest decision

    __table_args__ = (Index("ix_findings_rule_note", "rule_id", "note_id"),)


class BatchFinding(Base):
    """A passage of wording shared by many notes of a batch (TPL002), stored once."""

    __tablename__ = "batch_findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(20))
    passage_id: Mapped[str] = mapped_column(String(40))
    words: Mapped[int] = mapped_column(Integer)
    notes_estimate: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)


class BatchFindingNote(Base):
    """A note holding a shared passage, and where."""

    __tablename__ = "batch_finding_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_finding_id: Mapped[int] = mapped_column(
        ForeignKey("batch_findings.id", ondelete="CASCADE"), index=True
    )
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    field: Mapped[str | None] = mapped_column(String(300))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)


class Decision(Base):
    """A reviewer's decision on a finding key; append-only, the latest row wins."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(700), index=True)
    ppn_id: Mapped[str] = mapped_column(String(300))
    rule_id: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(300))
    digest: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(DateTime)


def joined_key(ppn_id: str, rule_id: str, field: str, digest: str) -> str:
    """The four parts of ``finding_key`` as one indexed string (unit separators between)."""
    return "\x1f".join((ppn_id, rule_id, field, digest))


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/ppncheck/review.sqlite3``, else ``~/.local/share/ppncheck/...``."""
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".local" / "share"
    return root / "ppncheck" / "review.sqlite3"


def store_url(store: str | Path | None) -> str:
    """A SQLAlchemy URL for ``--store``: a URL as given, a path as a SQLite file."""
    if store is None:
        store = default_store_path()
    text = str(store)
    if "://" in text:
        return text
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def describe(url: str) -> str:
    """The store for messages: a file path, or a URL without its password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


class StoreError(Exception):
    """The store cannot be opened or upgraded; the message names it (never a password)."""


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    url: str

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a reviewer's write
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_store(store: str | Path | None = None) -> Store:
    """Open (creating and upgrading as needed) the store at a path or URL."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        url = store_url(store)
    except OSError as exc:
        raise StoreError(f"--store {store}: {exc.strerror or type(exc).__name__}") from None
    kwargs: dict[str, Any] = {}
    sqlite = url.startswith("sqlite")
    if sqlite:
        # two reviewers' writes queue behind each other instead of failing at once
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open the store {store}: {type(exc).__name__}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(
            f"cannot open the store {describe(url)}: {type(reason).__name__}"
        ) from None
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), url=url)


def upgrade(engine: Engine) -> None:
    """``alembic upgrade head`` on ``engine``, with the migrations shipped in the package."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
