"""The courses plugin: the shipped library of course YAML files and feedback surveys.

The course schema, loader and importer are the core's (``lms.catalog``); this plugin only offers its files.
"""

from __future__ import annotations

from pathlib import Path

from lms.hookspecs import hookimpl

LIBRARY = Path(__file__).parent / "library"


@hookimpl
def lms_course_library() -> list[Path]:
    return [LIBRARY]
