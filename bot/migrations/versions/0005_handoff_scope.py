"""Scope what a handoff's recipient sees: the transcript up to consent, and its own live chat.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        # the last message the citizen agreed to share (NULL for older handoffs: consent_at decides)
        batch.add_column(sa.Column("transcript_until", sa.Integer))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("live_handoff_id", sa.Integer))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("handoff_id", sa.Integer, index=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("handoff_id")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("live_handoff_id")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("transcript_until")
