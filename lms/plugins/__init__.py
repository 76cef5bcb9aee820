"""The plugin manager factory: built-in packages and outside plugins come in through the ``lms`` entry points."""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Sequence

import pluggy

from lms import hookspecs
from lms.hookspecs import PROJECT, QuickCommand


class PluginWarning(UserWarning):
    """A plugin failed to load; the rest of the system goes on without it."""


def make_plugin_manager(load_entrypoints: bool = True, *, core: bool = True) -> pluggy.PluginManager:
    """A new plugin manager with the core's own implementations, plus entry-point plugins when asked.

    ``core=False`` leaves the core's own plugin out (it imports the ORM): for :func:`quick_command`.
    """
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    if core:
        from lms.plugins import builtin as builtin_plugin

        manager.register(builtin_plugin, name="lms.builtin")
    if load_entrypoints:
        load_entrypoint_plugins(manager)
    manager.check_pending()
    return manager


def load_entrypoint_plugins(manager: pluggy.PluginManager) -> list[str]:
    """Register every ``lms`` entry point; a broken one is a warning naming it, not a crash."""
    loaded = []
    for entry_point in importlib.metadata.entry_points(group=PROJECT):
        if manager.get_plugin(entry_point.name) is not None:
            continue
        try:
            plugin = entry_point.load()
            manager.register(plugin, name=entry_point.name)
        except Exception as error:  # noqa: BLE001 - any failure in someone else's plugin
            warnings.warn(
                f"plugin {entry_point.name!r} ({entry_point.value}) not loaded: {error}",
                PluginWarning,
                stacklevel=2,
            )
            continue
        loaded.append(entry_point.name)
    return loaded


def quick_command(args: Sequence[str], db_url: str | None) -> QuickCommand | None:
    """The command a plugin starts before the command line is built (``lms_quick_command``), or None.

    Asked of the entry-point plugins alone, whose modules import nothing heavy, so a screen can paint before the
    ORM is loaded; every other command goes through the full command line (which looks the entry points up again:
    a few milliseconds, the modules being imported by then).
    """
    manager = make_plugin_manager(core=False)
    found: QuickCommand | None = manager.hook.lms_quick_command(args=list(args), db_url=db_url)
    return found
