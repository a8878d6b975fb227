"""owner experience (short codes, email outbox)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the results token sealed with the resume code, so that a submitted assessment's resume
    # code leads to its results (the code format itself needs no column: only hashes are kept)
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("results_sealed", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("results_sealed")
