"""A test certificate authority (root, intermediate, leaf) that signs requests
the way Alexa does, so verification can be tested and benchmarked offline."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
ALEXA_NAME = "echo-api.amazon.com"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, subject_key, issuer, issuer_key, *, ca: bool, not_before, not_after,
                 dns_name=None):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()),
                              critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer_key.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = (builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]),
                                         critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                  critical=False)
                   .add_extension(x509.KeyUsage(
                       digital_signature=True, content_commitment=False, key_encipherment=True,
                       data_encipherment=False, key_agreement=False, key_cert_sign=False,
                       crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
    return builder.sign(issuer_key, hashes.SHA256())


class TestAuthority:
    __test__ = False  # not a pytest test class

    def __init__(self, leaf_name: str = ALEXA_NAME, leaf_days: tuple[int, int] = (-1, 30)):
        now = datetime.now(timezone.utc)
        self.root_key, self.intermediate_key, self.leaf_key = _key(), _key(), _key()
        self.root = _certificate(_name("Cramp Coach Test Root"), self.root_key,
                                 _name("Cramp Coach Test Root"), self.root_key, ca=True,
                                 not_before=now - timedelta(days=10),
                                 not_after=now + timedelta(days=3650))
        self.intermediate = _certificate(_name("Cramp Coach Test Intermediate"),
                                         self.intermediate_key, self.root.subject, self.root_key,
                                         ca=True, not_before=now - timedelta(days=10),
                                         not_after=now + timedelta(days=365))
        self.leaf = self.issue_leaf(leaf_name, leaf_days)

    def issue_leaf(self, name: str = ALEXA_NAME, days: tuple[int, int] = (-1, 30)):
        now = datetime.now(timezone.utc)
        return _certificate(_name(name), self.leaf_key, self.intermediate.subject,
                            self.intermediate_key, ca=False, dns_name=name,
                            not_before=now + timedelta(days=days[0]),
                            not_after=now + timedelta(days=days[1]))

    def chain_pem(self, leaf=None) -> bytes:
        return b"".join(cert.public_bytes(serialization.Encoding.PEM)
                        for cert in (leaf or self.leaf, self.intermediate))

    def sign(self, body: bytes, key=None) -> str:
        signature = (key or self.leaf_key).sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    def headers(self, body: bytes, url: str = CERT_URL, key=None) -> dict:
        return {"SignatureCertChainUrl": url, "Signature-256": self.sign(body, key),
                "Content-Type": "application/json"}
