"""Alembic environment: uses the engine handed over by ``ilms.store.migrate`` (or the URL)."""
from alembic import context
from sqlalchemy import pool

from ilms.store.db import make_engine
from ilms.store.schema import metadata

config = context.config
engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url"),
                                                        poolclass=pool.NullPool)

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()
