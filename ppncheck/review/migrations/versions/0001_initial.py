"""The first review store: batches, notes, findings, batch findings and decisions.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("unreadable", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batches_digest"), ["digest"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=700), nullable=False),
        sa.Column("ppn_id", sa.String(length=300), nullable=False),
        sa.Column("rule_id", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=300), nullable=False),
        sa.Column("digest", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_key"), ["key"], unique=False)

    op.create_table(
        "batch_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=20), nullable=False),
        sa.Column("passage_id", sa.String(length=40), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("notes_estimate", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batch_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_findings_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("ppn_id", sa.String(length=300), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("collar", sa.String(length=120), nullable=False),
        sa.Column("officer_name", sa.String(length=300), nullable=True),
        sa.Column("team", sa.String(length=300), nullable=False),
        sa.Column("ppn_type", sa.String(length=300), nullable=True),
        sa.Column("submitted", sa.String(length=40), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.Column("unreadable", sa.Boolean(), nullable=False),
        sa.Column("n_error", sa.Integer(), nullable=False),
        sa.Column("n_warning", sa.Integer(), nullable=False),
        sa.Column("n_info", sa.Integer(), nullable=False),
        sa.Column("worst", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_collar"), ["collar"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_ppn_id"), ["ppn_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_ppn_type"), ["ppn_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_source"), ["source"], unique=False)
        batch_op.create_index(
            "ix_notes_queue", ["worst", "n_error", "n_warning", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notes_team"), ["team"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_unreadable"), ["unreadable"], unique=False)

    op.create_table(
        "batch_finding_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_finding_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=300), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_finding_id"], ["batch_findings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("batch_finding_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_batch_finding_notes_batch_finding_id"),
            ["batch_finding_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_batch_finding_notes_note_id"), ["note_id"], unique=False
        )

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=300), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("key", sa.String(length=700), nullable=False),
        sa.Column("key_ppn_id", sa.String(length=300), nullable=False),
        sa.Column("key_field", sa.String(length=300), nullable=False),
        sa.Column("key_digest", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_note_id"), ["note_id"], unique=False)
        batch_op.create_index("ix_findings_rule_note", ["rule_id", "note_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_rule_note")
        batch_op.drop_index(batch_op.f("ix_findings_note_id"))
        batch_op.drop_index(batch_op.f("ix_findings_key"))

    op.drop_table("findings")
    with op.batch_alter_table("batch_finding_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_finding_notes_note_id"))
        batch_op.drop_index(batch_op.f("ix_batch_finding_notes_batch_finding_id"))

    op.drop_table("batch_finding_notes")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_unreadable"))
        batch_op.drop_index(batch_op.f("ix_notes_team"))
        batch_op.drop_index("ix_notes_queue")
        batch_op.drop_index(batch_op.f("ix_notes_ppn_type"))
        batch_op.drop_index(batch_op.f("ix_notes_source"))
        batch_op.drop_index(batch_op.f("ix_notes_ppn_id"))
        batch_op.drop_index(batch_op.f("ix_notes_collar"))
        batch_op.drop_index(batch_op.f("ix_notes_batch_id"))

    op.drop_table("notes")
    with op.batch_alter_table("batch_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_findings_batch_id"))

    op.drop_table("batch_findings")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_key"))

    op.drop_table("decisions")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batches_digest"))

    op.drop_table("batches")
