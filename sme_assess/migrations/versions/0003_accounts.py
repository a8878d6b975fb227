"""accounts, roles, sharing, audit log, action plan

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_NOW = sa.text('(CURRENT_TIMESTAMP)')


def upgrade() -> None:
    op.create_table(
        'user_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('role', sa.Enum('owner', 'advisor', 'ministry', 'admin', name='user_role', native_enum=False, length=12), nullable=False),
        sa.Column('province_code', sa.String(length=8), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('share_code', sa.String(length=16), nullable=True),
        sa.Column('session_nonce', sa.String(length=32), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
        sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
        sa.UniqueConstraint('share_code', name=op.f('uq_user_account_share_code')),
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_role'), ['role'], unique=False)

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_business_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_business_owner_id_user_account'), 'user_account', ['owner_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assisted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assessment_assisted_by_id_user_account'), 'user_account', ['assisted_by_id'], ['id'], ondelete='SET NULL')

    op.create_table(
        'advisor_share',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('business_id', sa.Integer(), nullable=False),
        sa.Column('advisor_id', sa.Integer(), nullable=False),
        sa.Column('consented_at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column('consented_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_advisor_share_business_id_business'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['advisor_id'], ['user_account.id'], name=op.f('fk_advisor_share_advisor_id_user_account'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['consented_by_id'], ['user_account.id'], name=op.f('fk_advisor_share_consented_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor_share')),
        sa.UniqueConstraint('business_id', 'advisor_id', name=op.f('uq_advisor_share_business_id')),
    )
    with op.batch_alter_table('advisor_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_share_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisor_share_advisor_id'), ['advisor_id'], unique=False)

    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=254), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('object_type', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.String(length=64), nullable=False),
        sa.Column('business_id', sa.Integer(), nullable=True),
        sa.Column('ip', sa.String(length=45), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_log_actor_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_audit_log_business_id_business'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_business_id'), ['business_id'], unique=False)

    op.create_table(
        'action_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('business_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('platform_id', sa.String(length=64), nullable=True),
        sa.Column('who', sa.String(length=120), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('status', sa.Enum('todo', 'doing', 'done', 'dropped', name='action_status', native_enum=False, length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_action_item_business_id_business'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item')),
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_business_id'), ['business_id'], unique=False)

    op.create_table(
        'action_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_label', sa.String(length=254), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['action_item.id'], name=op.f('fk_action_change_action_id_action_item'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_action_change_author_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_change')),
    )
    with op.batch_alter_table('action_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_change_action_id'), ['action_id'], unique=False)

    op.create_table(
        'platform_adoption',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('business_id', sa.Integer(), nullable=False),
        sa.Column('platform_id', sa.String(length=64), nullable=False),
        sa.Column('marked_at', sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column('marked_by_id', sa.Integer(), nullable=True),
        sa.Column('marked_by_label', sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_platform_adoption_business_id_business'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['marked_by_id'], ['user_account.id'], name=op.f('fk_platform_adoption_marked_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_adoption')),
        sa.UniqueConstraint('business_id', 'platform_id', name=op.f('uq_platform_adoption_business_id')),
    )
    with op.batch_alter_table('platform_adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_adoption_business_id'), ['business_id'], unique=False)


    op.create_table(
        'business_progress',
        sa.Column('business_id', sa.Integer(), nullable=False),
        sa.Column('last_assessed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_level', sa.Integer(), nullable=True),
        sa.Column('previous_level', sa.Integer(), nullable=True),
        sa.Column('assessments', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_business_progress_business_id_business'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('business_id', name=op.f('pk_business_progress')),
    )
    with op.batch_alter_table('business_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_progress_last_assessed_at'), ['last_assessed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_progress_last_level'), ['last_level'], unique=False)
    # the businesses assessed before this revision
    nth = (
        "(SELECT a.{col} FROM assessment a WHERE a.business_id = b.id AND a.status = 'submitted' "
        "ORDER BY a.submitted_at DESC, a.id DESC LIMIT 1 OFFSET {n})"
    )
    op.execute(
        "INSERT INTO business_progress "
        "(business_id, last_assessed_at, last_level, previous_level, assessments) "
        f"SELECT b.id, {nth.format(col='submitted_at', n=0)}, "
        f"{nth.format(col='overall_level', n=0)}, {nth.format(col='overall_level', n=1)}, "
        "(SELECT count(*) FROM assessment a WHERE a.business_id = b.id AND a.status = 'submitted') "
        "FROM business b"
    )


def downgrade() -> None:
    # IF EXISTS: a database upgraded by an earlier draft of this revision has no such table
    op.execute('DROP TABLE IF EXISTS business_progress')
    op.drop_table('platform_adoption')
    op.drop_table('action_change')
    op.drop_table('action_item')
    op.drop_table('audit_log')
    op.drop_table('advisor_share')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_assisted_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('assisted_by_id')
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_business_owner_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_business_owner_id'))
        batch_op.drop_column('owner_id')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_role'))
    op.drop_table('user_account')
