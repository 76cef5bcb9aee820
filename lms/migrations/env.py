"""Alembic environment: runs on the connection handed over by lms.db.upgrade_schema."""

from alembic import context
from sqlmodel import SQLModel

from lms import models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")

if connection is None:
    from lms.db import make_engine

    with make_engine().begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
