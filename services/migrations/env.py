"""Alembic environment: run with the connection handed over by services.db."""
from alembic import context

import models

target_metadata = models.Base.metadata
connection = context.config.attributes.get("connection")

if connection is None:  # offline SQL generation
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
