"""PAdES signatures inside certificate PDFs (pyHanko): any PDF reader then shows who issued the file and that no byte
of it changed since, without our software or the QR code.

The key is RSA (3072 bits): PDF/A-3 builds on ISO 32000-1, which knows RSA signatures but not Ed25519, so the
verification codes' Ed25519 key cannot sign the file itself. On first use the key and a self-signed certificate
naming the vendor are made and kept together in one PEM file (mode 0600) beside the Ed25519 key; a vendor with a
certificate from a CA puts its key and certificate (PEM, unencrypted) in that file instead, and readers that trust the
CA then show the signature as trusted.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID

from lms.errors import LmsError
from lms.i18n import _

# pyHanko imports cryptography's DSA types to recognise such keys; we neither make nor accept DSA, and the warning
# it triggers would print on every verify.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\.|$)")

PADES_FILE_NAME = "issuer-pades.pem"
SIGNATURE_FIELD = "IssuerSignature"
CERTIFICATE_YEARS = 30  # certificates it signs stay checkable for as long as anyone keeps them


X509_NAME_LIMIT = 64  # bytes of UTF-8: RFC 5280's upper bound for a name, as cryptography enforces it


def fit_name(text: str) -> str:
    """``text`` cut to what an X.509 name holds (64 bytes of UTF-8, about 21 Chinese characters), marked "..." when
    cut: a long vendor name is normal and must not stop signing."""
    if len(text.encode("utf-8")) <= X509_NAME_LIMIT:
        return text
    kept = text
    while len((kept + "...").encode("utf-8")) > X509_NAME_LIMIT:
        kept = kept[:-1]
    return kept + "..."


def pades_key_path(issuer_key_path: Path) -> Path:
    """The PAdES key and certificate live beside the Ed25519 issuer key (and move with ``LMS_ISSUER_KEY``)."""
    return issuer_key_path.parent / PADES_FILE_NAME


def _new_key_file(vendor_zh: str, vendor_en: str) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    vendor = vendor_en or vendor_zh or "LMS"
    common_name = f"{vendor} — certificate issuer"
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, fit_name(vendor_zh or vendor)),
            x509.NameAttribute(
                NameOID.COMMON_NAME,
                common_name if len(common_name.encode("utf-8")) <= X509_NAME_LIMIT else fit_name(vendor),
            ),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private + certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class PadesKey:
    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def load_pades_key(path: Path, *, vendor_zh: str = "", vendor_en: str = "", create: bool = True) -> PadesKey:
    """The signing key and certificate in ``path``, made on first use when ``create``.

    Raises:
        LmsError: the file cannot be read or holds no unencrypted RSA key with its certificate.
    """
    from lms.credentials.signing import write_private_file

    if create and not path.exists():
        write_private_file(path, _new_key_file(vendor_zh, vendor_en), replace=False)
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror
        raise LmsError(_("cannot read the PDF signing key: {reason}").format(reason=reason), file=path) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
        certificate = x509.load_pem_x509_certificate(data)
    except (ValueError, TypeError):
        raise LmsError(_("not an unencrypted RSA key with its certificate in PEM form"), file=path) from None
    if not isinstance(key, rsa.RSAPrivateKey) or certificate.public_key() != key.public_key():
        raise LmsError(_("not an unencrypted RSA key with its certificate in PEM form"), file=path)
    return PadesKey(key, certificate)


class PdfSigner:
    """Signs PDFs with one key; make one per process (loading an RSA key checks it, ~0.1 s)."""

    def __init__(self, key: PadesKey) -> None:
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign import fields, signers
        from pyhanko.sign.general import get_pyca_cryptography_hash
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        private_key = key.private_key
        certificate = asn1_x509.Certificate.load(key.certificate.public_bytes(serialization.Encoding.DER))
        der_key = private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

        class LoadedKeySigner(signers.SimpleSigner):  # type: ignore[misc]
            # pyHanko loads the key from DER for every signature, and cryptography checks an RSA key's primes on
            # each load (~130 ms, twice per PDF); the key loaded once is used instead.
            def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
                if mechanism != "rsassa_pkcs1v15":
                    return bytes(super().sign_raw(data, digest_algorithm))
                return private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

        self._signer = LoadedKeySigner(
            signing_cert=certificate,
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([certificate]),
        )
        self._metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
        )

    def sign(self, pdf: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signed: io.BytesIO = signers.sign_pdf(writer, self._metadata, signer=self._signer)
        return signed.getvalue()


@dataclass(frozen=True)
class PdfSignature:
    """The signature a PDF carries: whether its bytes are unchanged, the whole file covered, the signer trusted."""

    signer: str
    intact: bool
    whole_file: bool
    trusted: bool

    def describe(self) -> str:
        if not (self.intact and self.whole_file):
            return _("the PDF signature of {signer} does not match the file: it was changed after signing").format(
                signer=self.signer
            )
        if self.trusted:
            return _("signed by {signer}; the file is unchanged since").format(signer=self.signer)
        return _("signed by {signer} (not our issuer's signing certificate); the file is unchanged since").format(
            signer=self.signer
        )


def pdf_signature(pdf: bytes, trusted: x509.Certificate | None) -> PdfSignature | None:
    """The first PAdES signature of ``pdf`` checked against ``trusted`` (offline), or None if it has none."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return None  # a file pyHanko cannot even read carries no signature it could check
    if not signatures:
        return None
    roots: list[Any] = []
    if trusted is not None:
        roots.append(asn1_x509.Certificate.load(trusted.public_bytes(serialization.Encoding.DER)))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        signer = " ".join(str(error).split()) or type(error).__name__
        return PdfSignature(signer, intact=False, whole_file=False, trusted=False)
    signer = status.signing_cert.subject.native.get("common_name", "?")
    return PdfSignature(
        signer=str(signer),
        intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted),
    )
