"""Alexa request signature verification, with the validated chain cached per URL.

The SDK's RequestVerifier downloads the signing certificate chain once but
validates it again on every request: about 4.4 ms of CPU each, ten times the
cost of answering. This verifier keeps every one of the SDK's checks (it
inherits its certificate-URL rules) and validates a chain once, with
cryptography's X.509 path validation, then reuses the validated signing key for
that URL until the first certificate in the chain expires. The cache is bounded,
and so is the download, in time and bytes. A forged URL is refused before
anything is downloaded.
"""

from __future__ import annotations

import base64
import binascii
import ssl
import threading
import time
import warnings
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Callable, Optional, Sequence

from skill import oscrypto_fix

oscrypto_fix.install()  # the SDK's verifier module imports oscrypto

from ask_sdk_webservice_support.verifier import (RequestVerifier,  # noqa: E402
                                                 VerificationException)
from ask_sdk_webservice_support.verifier_constants import (  # noqa: E402
    CERT_CHAIN_DOMAIN, SIGNATURE_CERT_CHAIN_URL_HEADER, SIGNATURE_HEADER)
from cryptography import x509  # noqa: E402
from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from cryptography.x509.verification import (PolicyBuilder, Store,  # noqa: E402
                                            VerificationError)

DOWNLOAD_TIMEOUT_SECONDS = 2.0
MAX_CHAIN_BYTES = 64 * 1024
MAX_CACHED_CHAINS = 16


def fetch_bounded(url: str, timeout: float = DOWNLOAD_TIMEOUT_SECONDS,
                  max_bytes: int = MAX_CHAIN_BYTES) -> bytes:
    """Download at most max_bytes within timeout seconds, or fail."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            body = reply.read(max_bytes + 1)
    except (OSError, ValueError) as error:
        raise VerificationException(f"could not download the certificate chain: {error}")
    if len(body) > max_bytes:
        raise VerificationException("the certificate chain is too large")
    return body


def system_trust_roots() -> list[x509.Certificate]:
    """The system's CA bundle, as the SDK's verifier uses (via oscrypto)."""
    paths = ssl.get_default_verify_paths()
    with open(paths.cafile or paths.openssl_cafile, "rb") as bundle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an old root or two has a non-positive serial number
        return x509.load_pem_x509_certificates(bundle.read())


class CachedRequestVerifier(RequestVerifier):
    def __init__(self, trust_roots: Optional[Sequence[x509.Certificate]] = None,
                 fetch: Callable[[str], bytes] = fetch_bounded,
                 max_cached: int = MAX_CACHED_CHAINS, clock: Callable[[], float] = time.time):
        super().__init__()
        self._trust_roots = list(trust_roots) if trust_roots is not None else None
        self._store: Optional[Store] = None
        self._fetch = fetch
        self._max_cached = max_cached
        self._clock = clock
        self._keys: OrderedDict[str, tuple[object, float]] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, headers, serialized_request_env, deserialized_request_env):
        wanted = {SIGNATURE_CERT_CHAIN_URL_HEADER.lower(): None, SIGNATURE_HEADER.lower(): None}
        for name, value in headers.items():
            if name.lower() in wanted:
                wanted[name.lower()] = value
        cert_url = wanted[SIGNATURE_CERT_CHAIN_URL_HEADER.lower()]
        signature = wanted[SIGNATURE_HEADER.lower()]
        if not cert_url or not signature:
            raise VerificationException("Missing Signature/Certificate for the skill request")
        key = self._signing_key(cert_url)
        try:
            key.verify(base64.b64decode(signature, validate=True),
                       serialized_request_env.encode("utf-8"),
                       padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, binascii.Error, ValueError):
            raise VerificationException("Request body is not valid") from None

    def _signing_key(self, cert_url: str):
        now = self._clock()
        with self._lock:
            cached = self._keys.get(cert_url)
            if cached and cached[1] > now:
                self._keys.move_to_end(cert_url)
                return cached[0]
        self._validate_certificate_url(cert_url)  # the SDK's URL rules, before any download
        key, valid_until = self._validate_chain(self._fetch(cert_url), now)
        with self._lock:
            self._keys[cert_url] = (key, valid_until)
            self._keys.move_to_end(cert_url)
            while len(self._keys) > self._max_cached:
                self._keys.popitem(last=False)
        return key

    def _validate_chain(self, pem: bytes, now: float):
        """Chain to a trusted root, for echo-api.amazon.com, valid now."""
        try:
            leaf, *intermediates = x509.load_pem_x509_certificates(pem)
        except ValueError:
            raise VerificationException("the certificate chain is not valid PEM") from None
        verifier = (PolicyBuilder().store(self._trust_store())
                    .time(datetime.fromtimestamp(now, timezone.utc))
                    .build_server_verifier(x509.DNSName(CERT_CHAIN_DOMAIN)))
        try:
            chain = verifier.verify(leaf, intermediates)
        except VerificationError as error:
            raise VerificationException(f"Certificate chain is not valid: {error}") from None
        valid_until = min(cert.not_valid_after_utc for cert in chain).timestamp()
        return leaf.public_key(), valid_until

    def _trust_store(self) -> Store:
        if self._store is None:
            self._store = Store(self._trust_roots if self._trust_roots is not None
                                else system_trust_roots())
        return self._store
