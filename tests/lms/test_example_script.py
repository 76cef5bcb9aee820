"""examples/vendor-from-scratch.sh runs from an empty database to a scheduled session (the issue's "done when")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from lms.db import make_engine
from lms.models import Obligation, TrainingSession

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "vendor-from-scratch.sh"


def test_a_vendor_from_scratch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'vendor.db'}"
    env = {**os.environ, "LMS": f"{sys.executable} -m lms", "LMS_DATABASE_URL": url, "LMS_LANG": "en"}
    run = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "duty 1: 验收合格后2个工作日内" in run.stdout and "duty 2" not in run.stdout  # the repair clause is none
    engine = make_engine(url)
    with Session(engine) as session:
        obligation = session.exec(select(Obligation)).one()
        assert (obligation.anchor, obligation.offset_days, obligation.min_trainees) == ("acceptance", 2, 5)
        assert session.exec(select(TrainingSession).where(TrainingSession.obligation_id == obligation.id)).first()
    engine.dispose()
