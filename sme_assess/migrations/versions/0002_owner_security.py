"""profile snapshot per assessment and other owner-path security columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (column, length): the business profile an assessment was made with, copied from the business
# at submission (results, /verify and the PDF print this, never later edits of the business)
SNAPSHOT = [
    ("name", 200),
    ("business_type", 20),
    ("tax_code", 14),
    ("province_code", 8),
    ("industry_section", 2),
    ("employees_band", 20),
    ("revenue_band", 20),
    ("capital_band", 20),
    ("size_class", 10),
]
INDEXED = ("province_code", "industry_section", "size_class")


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        for name, length in SNAPSHOT:
            batch.add_column(sa.Column(f"profile_{name}", sa.String(length=length), nullable=True))
        for name in INDEXED:
            batch.create_index(f"ix_assessment_profile_{name}", [f"profile_{name}"], unique=False)
    # existing assessments: the business row as it is now is the best record there is
    assignments = ", ".join(
        f"profile_{name} = (SELECT business.{name} FROM business "
        f"WHERE business.id = assessment.business_id)"
        for name, _ in SNAPSHOT
    )
    op.execute(f"UPDATE assessment SET {assignments}")


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        for name in INDEXED:
            batch.drop_index(f"ix_assessment_profile_{name}")
        for name, _ in reversed(SNAPSHOT):
            batch.drop_column(f"profile_{name}")
