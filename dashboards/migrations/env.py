"""Alembic environment of the application database: the URL and connection come from
dashboards.appdb (``upgrade``), or from $MONEV_DB_URL / data/app.db when run by the alembic CLI."""

from __future__ import annotations

from alembic import context

from dashboards import appdb

target_metadata = appdb.Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=context.config.attributes.get("url") or appdb.database_url(),
                      target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    con = context.config.attributes.get("connection")
    if con is not None:
        context.configure(connection=con, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    eng = appdb.engine_for(context.config.attributes.get("url"))
    with eng.begin() as con:
        context.configure(connection=con, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
