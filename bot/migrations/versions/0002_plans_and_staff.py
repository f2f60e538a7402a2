"""Persoonlijke plannen, staff users and sessions, notes, assignment and takeover.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column(
            "organisation_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="SET NULL")
        ),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("last_seen_at", sa.DateTime(timezone=True)),
        sa.Column("available", sa.Boolean, nullable=False),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("staff_users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "conversation_id",
            sa.String(64),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "handoff_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "handoff_id",
            sa.Integer,
            sa.ForeignKey("handoffs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("staff_users.id", ondelete="SET NULL")),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # batch mode: SQLite can only add foreign keys by rebuilding the table
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("taken_over_by", sa.Integer))
        batch.add_column(
            sa.Column("next_answer_private", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key(
            "fk_conversations_taken_over_by",
            "staff_users",
            ["taken_over_by"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("corrected_intent", sa.String(60)))
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("plan_id", sa.Integer))
        batch.add_column(sa.Column("assigned_to", sa.Integer))
        batch.create_foreign_key(
            "fk_handoffs_plan_id", "plans", ["plan_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            "fk_handoffs_assigned_to", "staff_users", ["assigned_to"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_constraint("fk_handoffs_assigned_to", type_="foreignkey")
        batch.drop_constraint("fk_handoffs_plan_id", type_="foreignkey")
        batch.drop_column("assigned_to")
        batch.drop_column("plan_id")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("corrected_intent")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint("fk_conversations_taken_over_by", type_="foreignkey")
        batch.drop_column("next_answer_private")
        batch.drop_column("taken_over_by")
    for table in ("handoff_notes", "plans", "staff_sessions", "staff_users"):
        op.drop_table(table)
