"""Site configuration: branding, company calendar and official schedules the calendar library lacks.

Read from ``LMS_CONFIG`` or ``config.yaml`` in the user's config folder; a missing file means defaults.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OfficialYear(Strict):
    """One year's official schedule as the State Council publishes it: days off and make-up working days."""

    holidays: list[dt.date] = Field(default_factory=list)
    working_days: list[dt.date] = Field(default_factory=list)


class CalendarConfig(Strict):
    country: str = "CN"
    closures: list[dt.date] = Field(default_factory=list, description="company closure days")
    extra_working_days: list[dt.date] = Field(default_factory=list)
    official: dict[int, OfficialYear] = Field(default_factory=dict)


class Branding(Strict):
    # Unset: documents take the vendor organisation's names (lms.master_data.issuer), so a site need not repeat them.
    vendor_name_zh: str | None = Field(default=None, max_length=200, description="none: the vendor organisation's")
    vendor_name_en: str | None = Field(default=None, max_length=200, description="none: the vendor organisation's")
    signatory: str = ""
    organizer_name: str = "培训协调员 Training coordinator"
    organizer_email: str = "training@example.com"
    seal_image: str | None = Field(default=None, description="PNG or SVG; none: a round seal drawn from the name")
    seal_title: str = Field(default="培训专用章", max_length=12, description="under the star of the drawn seal")
    logo_image: str | None = None


class Access(Strict):
    """Roles (see lms.access.roles): login name → role, and the role of everyone not listed."""

    default_role: str = "admin"
    users: dict[str, str] = Field(default_factory=dict, description="operating-system account → role")
    display_name: str | None = Field(default=None, max_length=60, description="shown after the account in the log")


class Web(Strict):
    """``lms web`` (trainees' phones, certificate checks) and ``lms serve`` (the planning app in a browser)."""

    public_url: str | None = Field(default=None, description="the address phones reach, e.g. http://10.0.0.5:8080")
    trainer_token: str | None = Field(default=None, min_length=16, description="opens the trainer's live page")
    serve_token: str | None = Field(default=None, min_length=16, description="the login of ``lms serve``")
    serve_max_processes: int = Field(default=8, ge=1, le=200, description="app processes ``lms serve`` may run")


class Settings(Strict):
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    branding: Branding = Field(default_factory=Branding)
    access: Access = Field(default_factory=Access)
    web: Web = Field(default_factory=Web)
    timezone: str = "Asia/Shanghai"


def public_url(explicit: str | None = None) -> str:
    """The address trainees' phones and buyers reach ``lms web`` at: ``explicit``, else ``web.public_url``."""
    from lms.errors import LmsError
    from lms.i18n import _

    chosen = (explicit or settings().web.public_url or "").strip().rstrip("/")
    if not chosen.lower().startswith(("http://", "https://")):
        raise LmsError(_("set web.public_url in the configuration or give --public-url (http://... or https://...)"))
    return chosen


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir("lms", appauthor=False))
    return f"sqlite:///{folder / 'lms.db'}"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``--db`` first, then ``LMS_DATABASE_URL``, then the user's data folder. Resolved here, not
    in ``lms.db``, so that a screen can name its database before the ORM is imported."""
    url = explicit or os.environ.get("LMS_DATABASE_URL") or default_database_url()
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def config_path() -> Path:
    explicit = os.environ.get("LMS_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir("lms", appauthor=False)) / "config.yaml"


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (or the default location); errors name file, line and field."""
    path = path or config_path()
    if not path.exists():
        return Settings()
    from lms.files.yamlsource import load_yaml_file  # YAML is read only when there is a file (not at every start)

    document = load_yaml_file(path)
    try:
        return Settings.model_validate(document.data)
    except ValidationError as error:
        raise document.validation_error(error) from None


@cache
def settings() -> Settings:
    return load_settings()
