"""The document templates plugins register through ``lms_document_templates``, merged by name."""

from __future__ import annotations

from pathlib import Path

import pluggy


def document_templates(pm: pluggy.PluginManager) -> dict[str, Path]:
    """Every registered template folder by name. Hook results come last-registered first and the packaged templates
    answer last (``trylast``), so merging from the end lets a plugin's template replace a packaged one."""
    templates: dict[str, Path] = {}
    for contributed in reversed(pm.hook.lms_document_templates()):
        templates.update(contributed)
    return templates
