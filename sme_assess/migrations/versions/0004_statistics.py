"""statistics summary tables and synthetic-data marker

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_KEY_NAMES = [
    'synthetic',
    'month',
    'province_code',
    'industry_section',
    'size_class',
    'business_type',
    'questionnaire_id',
    'questionnaire_version',
]


def _key() -> list[sa.Column[Any]]:
    return [
        sa.Column('synthetic', sa.Boolean(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('province_code', sa.String(length=8), nullable=False),
        sa.Column('industry_section', sa.String(length=2), nullable=False),
        sa.Column('size_class', sa.String(length=10), nullable=False),
        sa.Column('business_type', sa.String(length=20), nullable=False),
        sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
        sa.Column('questionnaire_version', sa.String(length=32), nullable=False),
    ]


def _levels() -> list[sa.Column[Any]]:
    return [sa.Column(f'n_level_{k}', sa.Integer(), nullable=False) for k in range(6)]


def upgrade() -> None:
    for table in ('business', 'assessment'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('synthetic', sa.Boolean(), server_default=sa.false(), nullable=False)
            )

    op.create_table(
        'stats_cell',
        sa.Column('id', sa.Integer(), nullable=False),
        *_key(),
        sa.Column('n', sa.Integer(), nullable=False),
        *_levels(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_cell')),
        sa.UniqueConstraint(*_KEY_NAMES, name='uq_stats_cell_key'),
    )
    op.create_index(
        'ix_stats_cell_province', 'stats_cell', ['synthetic', 'province_code', 'month']
    )
    op.create_index(
        'ix_stats_cell_month',
        'stats_cell',
        ['synthetic', 'month', 'questionnaire_id', 'questionnaire_version'],
    )
    op.create_table(
        'stats_pillar_cell',
        sa.Column('id', sa.Integer(), nullable=False),
        *_key(),
        sa.Column('pillar_id', sa.String(length=32), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('points_sum', sa.Integer(), nullable=False),
        sa.Column('max_points_sum', sa.Integer(), nullable=False),
        *_levels(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_pillar_cell')),
        sa.UniqueConstraint(*_KEY_NAMES, 'pillar_id', name='uq_stats_pillar_cell_key'),
    )
    op.create_index(
        'ix_stats_pillar_cell_province',
        'stats_pillar_cell',
        ['synthetic', 'province_code', 'month'],
    )
    op.create_index(
        'ix_stats_pillar_cell_month', 'stats_pillar_cell', ['synthetic', 'month']
    )
    op.create_table(
        'stats_peer_points',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('synthetic', sa.Boolean(), nullable=False),
        sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
        sa.Column('questionnaire_version', sa.String(length=32), nullable=False),
        sa.Column('industry_section', sa.String(length=2), nullable=False),
        sa.Column('size_class', sa.String(length=10), nullable=False),
        sa.Column('province_code', sa.String(length=8), nullable=False),
        sa.Column('pillar_id', sa.String(length=32), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('max_points', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_peer_points')),
        sa.UniqueConstraint(
            'synthetic',
            'questionnaire_id',
            'questionnaire_version',
            'industry_section',
            'size_class',
            'province_code',
            'pillar_id',
            'points',
            name='uq_stats_peer_points_key',
        ),
    )
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column(
            'created_at',
            sa.DateTime(timezone=True),
            server_default=sa.text('(CURRENT_TIMESTAMP)'),
            nullable=False,
        ),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['user_account.id'],
            name=op.f('fk_api_token_user_id_user_account'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash')),
    )
    op.create_index(op.f('ix_api_token_user_id'), 'api_token', ['user_id'])


def downgrade() -> None:
    # the month indexes go with their tables (a database upgraded before they were added to
    # this revision has none to drop)
    op.drop_index(op.f('ix_api_token_user_id'), table_name='api_token')
    op.drop_table('api_token')
    op.drop_table('stats_peer_points')
    op.drop_index('ix_stats_pillar_cell_province', table_name='stats_pillar_cell')
    op.drop_table('stats_pillar_cell')
    op.drop_index('ix_stats_cell_province', table_name='stats_cell')
    op.drop_table('stats_cell')
    for table in ('assessment', 'business'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('synthetic')
