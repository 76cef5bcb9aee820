"""The core stays free of UI: importing it loads neither textual nor weasyprint."""

import subprocess
import sys

CORE_MODULES = [
    "lms",
    "lms.cli.app",
    "lms.cli.root",
    "lms.models",
    "lms.db",
    "lms.demo.loader",
    "lms.calendars.workdays",
    "lms.projects.projects_file",
    "lms.assessment.quizzes",
    "lms.maintenance.doctor",
    "courses.plugin",
    "lms.catalog.service",
    "scheduler_tui.plugin",
    "certificates.plugin",
]


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(output.split())


def test_import_lms_loads_no_ui() -> None:
    modules = loaded_after("import lms")
    assert "textual" not in modules
    assert "weasyprint" not in modules


def test_core_and_plugin_entry_modules_load_no_ui() -> None:
    modules = loaded_after("\n".join(f"import {name}" for name in CORE_MODULES))
    assert not {name for name in modules if name.split(".")[0] in ("textual", "weasyprint")}


def test_cli_with_all_plugins_registered_loads_no_ui() -> None:
    modules = loaded_after(
        "from lms.cli.root import build_app\n"
        "from lms.plugins import make_plugin_manager\n"
        "build_app(make_plugin_manager())"
    )
    assert "textual" not in modules
    assert "weasyprint" not in modules
