"""What each user message was about (intent and flow signals), for anonymous weekly figures.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("topic", sa.String(60)))
        batch.add_column(sa.Column("signals", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("signals")
        batch.drop_column("topic")
