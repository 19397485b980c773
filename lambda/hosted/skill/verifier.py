"""Alexa request signature verification, with the validated chain cached per URL.

The SDK's RequestVerifier downloads the signing certificate chain once but
validates it again on every request: about 4.4 ms of CPU each, ten times the
cost of answering. This verifier keeps every one of the SDK's checks (it
inherits its certificate-URL rules) and validates a chain once, with
cryptography's X.509 path validation, then reuses the validated signing key for
that URL until the first certificate in the chain expires.

Attackers choose the URL, so: a malformed or forged URL is refused before
anything is downloaded; URLs are compared in their canonical form (one chain,
however its URL is spelled); a refused URL is remembered for a while; downloads
are limited per minute and bounded in time and bytes; and a chain that verified
is never pushed out of the cache by others (only by its own expiry).
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import ssl
import threading
import time
import warnings
from collections import OrderedDict, deque
from datetime import datetime, timezone
from typing import Callable, Optional, Sequence
from urllib.parse import urlparse

from skill import oscrypto_fix

oscrypto_fix.install()  # the SDK's verifier module imports oscrypto

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    RequestVerifier,
    TimestampVerifier,
    VerificationException,
)
from ask_sdk_webservice_support.verifier_constants import (  # noqa: E402
    CERT_CHAIN_DOMAIN,
    CERT_CHAIN_URL_HOSTNAME,
    SIGNATURE_CERT_CHAIN_URL_HEADER,
    SIGNATURE_HEADER,
)
from cryptography import x509  # noqa: E402
from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError  # noqa: E402

DOWNLOAD_TIMEOUT_SECONDS = 2.0
MAX_CHAIN_BYTES = 64 * 1024
MAX_CACHED_CHAINS = 16
MAX_URL_CHARS = 512
REFUSALS_REMEMBERED = 1024
REFUSED_FOR_SECONDS = 300      # a chain that failed validation
UNREACHABLE_FOR_SECONDS = 30   # a download that failed: S3 may only have blinked
DOWNLOADS_PER_MINUTE = 10
REPLAY_WINDOW_SECONDS = 150 + 30  # Alexa's timestamp tolerance, and some clock skew
MAX_REMEMBERED_REQUESTS = 50_000


def fetch_bounded(url: str, timeout: float = DOWNLOAD_TIMEOUT_SECONDS,
                  max_bytes: int = MAX_CHAIN_BYTES) -> bytes:
    """Download at most max_bytes within timeout seconds, or fail."""
    import http.client
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            body = reply.read(max_bytes + 1)
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise VerificationException(
            f"could not download the certificate chain: {type(error).__name__}") from None
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
                 max_cached: int = MAX_CACHED_CHAINS, clock: Callable[[], float] = time.time,
                 downloads_per_minute: int = DOWNLOADS_PER_MINUTE):
        super().__init__()
        self._trust_roots = list(trust_roots) if trust_roots is not None else None
        self._store: Optional[Store] = None
        self._fetch = fetch
        self._max_cached = max_cached
        self._clock = clock
        self._downloads_per_minute = downloads_per_minute
        self._keys: dict[str, tuple[object, float]] = {}
        self._refused: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._downloads: deque[float] = deque()
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
        url = self._canonical(cert_url)
        with self._lock:
            cached = self._keys.get(url)
            if cached and cached[1] > now:
                return cached[0]
            refused = self._refused.get(url)
            if refused and refused[1] > now:
                raise VerificationException(refused[0])
            self._count_a_download(now)
        try:
            pem = self._fetch(url)
        except VerificationException as error:
            self._remember_refusal(url, str(error), now + UNREACHABLE_FOR_SECONDS)
            raise
        try:
            key, valid_until = self._validate_chain(pem, now)
        except VerificationException as error:
            self._remember_refusal(url, str(error), now + REFUSED_FOR_SECONDS)
            raise
        with self._lock:
            for stale in [known for known, (_, until) in self._keys.items() if until <= now]:
                del self._keys[stale]
            if len(self._keys) < self._max_cached:  # a verified chain is never evicted
                self._keys[url] = (key, valid_until)
        return key

    def _canonical(self, cert_url: str) -> str:
        """The one spelling of a certificate URL that passes the SDK's rules, or a refusal.

        Checked first for what makes URL parsing itself fail (a non-numeric port,
        a broken IPv6 host, spaces or control characters), which the SDK does not catch.
        """
        if (len(cert_url) > MAX_URL_CHARS or not cert_url.isascii()
                or any(character.isspace() or not character.isprintable()
                       for character in cert_url)):
            raise VerificationException("the certificate URL is malformed")
        try:
            self._validate_certificate_url(cert_url)  # the SDK's URL rules, before any download
            path = urlparse(cert_url).path
        except ValueError:
            raise VerificationException("the certificate URL is malformed") from None
        return f"https://{CERT_CHAIN_URL_HOSTNAME.lower()}{posixpath.normpath(path)}"

    def _remember_refusal(self, url: str, reason: str, until: float) -> None:
        with self._lock:
            self._refused[url] = (reason, until)
            self._refused.move_to_end(url)
            while len(self._refused) > REFUSALS_REMEMBERED:
                self._refused.popitem(last=False)

    def _count_a_download(self, now: float) -> None:
        """At most so many downloads a minute, whatever URLs attackers send."""
        while self._downloads and self._downloads[0] <= now - 60:
            self._downloads.popleft()
        if len(self._downloads) >= self._downloads_per_minute:
            raise VerificationException("too many certificate downloads; try again later")
        self._downloads.append(now)

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


class AwareTimestampVerifier(TimestampVerifier):
    """The SDK's timestamp check, which raises TypeError on a timestamp without a
    time zone; such a request is refused like any other stale one."""

    def verify(self, headers, serialized_request_env, deserialized_request_env):
        timestamp = getattr(deserialized_request_env.request, "timestamp", None)
        if timestamp is None or timestamp.utcoffset() is None:
            raise VerificationException("the request timestamp has no time zone")
        super().verify(headers, serialized_request_env, deserialized_request_env)


class ReplayVerifier(AbstractVerifier):
    """Beyond Amazon's rules: a signed request is answered once. Its request id
    and signature are remembered for the timestamp window (bounded; the oldest go
    first), so a captured request replayed within those 150 s is refused.

    Put it after the signature and timestamp checks, so only genuine requests
    are remembered. Each process remembers its own: see the README.
    """

    def __init__(self, window: float = REPLAY_WINDOW_SECONDS,
                 max_remembered: int = MAX_REMEMBERED_REQUESTS,
                 clock: Callable[[], float] = time.monotonic):
        self._window = window
        self._max = max_remembered
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, headers, serialized_request_env, deserialized_request_env):
        signature = next((value for name, value in headers.items()
                          if name.lower() == SIGNATURE_HEADER.lower()), "")
        request_id = getattr(deserialized_request_env.request, "request_id", None) or ""
        seen = (str(request_id), signature)
        now = self._clock()
        with self._lock:
            while self._seen and next(iter(self._seen.values())) <= now:
                self._seen.popitem(last=False)
            if seen in self._seen:
                raise VerificationException("the request was already answered")
            self._seen[seen] = now + self._window
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)

