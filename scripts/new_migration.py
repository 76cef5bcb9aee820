"""Write a new Alembic revision from the difference between lms.models and a fresh database at head.

Usage: .venv/bin/python scripts/new_migration.py "what changed" 0002
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from lms.db import alembic_config, make_engine, upgrade_schema

with tempfile.TemporaryDirectory() as folder:
    engine = make_engine(f"sqlite:///{Path(folder) / 'head.db'}")
    upgrade_schema(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=sys.argv[1], autogenerate=True, rev_id=sys.argv[2])
