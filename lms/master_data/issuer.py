"""Whose name heads the documents: the configured branding, else the vendor organisation in the database, else a
placeholder that ``lms doctor`` warns about."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from lms.config import Branding, settings
from lms.i18n import _
from lms.models import Organisation
from lms.models.base import OrganisationKind

PLACEHOLDER_ZH = "示例科技有限公司"
PLACEHOLDER_EN = "Example Technology Co., Ltd."


class IssuerSource(StrEnum):
    configuration = "configuration"
    organisation = "organisation"
    placeholder = "placeholder"


@dataclass(frozen=True)
class IssuerName:
    zh: str
    en: str
    source: IssuerSource = IssuerSource.placeholder

    @property
    def is_placeholder(self) -> bool:
        return self.source is IssuerSource.placeholder


PLACEHOLDER_ISSUER = IssuerName(PLACEHOLDER_ZH, PLACEHOLDER_EN)


def vendor_organisation(*, session: Session) -> Organisation | None:
    """The vendor organisation documents are issued in the name of: the first active one by code (neither projects
    nor sessions name a vendor, so there is no closer link to prefer)."""
    statement = (
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.vendor, col(Organisation.retired_at).is_(None))
        .order_by(col(Organisation.code))
        .limit(1)
    )
    return session.exec(statement).first()


def configured_issuer(branding: Branding | None = None) -> IssuerName:
    """The names without the database (a document built without a session): the configuration's, else the
    placeholder."""
    branding = branding or settings().branding
    zh, en = (branding.vendor_name_zh or "").strip(), (branding.vendor_name_en or "").strip()
    if not (zh or en):
        return PLACEHOLDER_ISSUER
    return IssuerName(zh or PLACEHOLDER_ZH, en or PLACEHOLDER_EN, IssuerSource.configuration)


def issuer_name(*, session: Session, branding: Branding | None = None) -> IssuerName:
    """Each language's name from ``branding.vendor_name_zh``/``_en`` when configured, else from the vendor
    organisation, else the placeholder."""
    branding = branding or settings().branding
    configured = (branding.vendor_name_zh or "").strip(), (branding.vendor_name_en or "").strip()
    if all(configured):
        return IssuerName(*configured, IssuerSource.configuration)
    vendor = vendor_organisation(session=session)
    if vendor is not None:
        return IssuerName(configured[0] or vendor.name_zh, configured[1] or vendor.name_en, IssuerSource.organisation)
    return configured_issuer(branding)


def placeholder_fix() -> str:
    """How a site puts its own name on its documents."""
    return _(
        "set branding.vendor_name_zh and branding.vendor_name_en in the configuration, or add the vendor: "
        "lms orgs add CODE --kind vendor --name NAME --name-en NAME"
    )
