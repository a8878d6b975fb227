"""business activities (lodging, pharmacy, …) on the profile and in the assessment snapshot

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # catalogue activity ids, comma-separated ("" for none): what the VSIC section cannot tell
    with op.batch_alter_table("business") as batch:
        batch.add_column(
            sa.Column("activities", sa.String(length=100), nullable=False, server_default="")
        )
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("profile_activities", sa.String(length=100), nullable=True))
    # submitted assessments so far were made without declared activities
    op.execute("UPDATE assessment SET profile_activities = '' WHERE profile_name IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("profile_activities")
    with op.batch_alter_table("business") as batch:
        batch.drop_column("activities")
