"""The cached request verifier, against a test certificate authority; no network."""

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ask_sdk_webservice_support.verifier import TimestampVerifier, VerificationException

from skill import envelopes
from skill.verifier import CachedRequestVerifier, fetch_bounded
from skill.webservice import create_app
from tests.authority import CERT_URL, TestAuthority


@pytest.fixture(scope="module")
def authority():
    return TestAuthority()


class Fetcher:
    """Serves certificate chains by URL, and counts downloads."""

    def __init__(self, chains: dict):
        self.chains = chains
        self.calls = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        return self.chains[url]


def make_verifier(authority, chain=None, **options):
    fetcher = Fetcher({CERT_URL: chain or authority.chain_pem()})
    return CachedRequestVerifier(trust_roots=[authority.root], fetch=fetcher, **options), fetcher


BODY = json.dumps(envelopes.launch())


def check(verifier, headers, body=BODY):
    verifier.verify(headers=headers, serialized_request_env=body, deserialized_request_env=None)


def test_a_good_signature_is_accepted(authority):
    verifier, _ = make_verifier(authority)
    check(verifier, authority.headers(BODY.encode()))


def test_a_tampered_body_is_refused(authority):
    verifier, _ = make_verifier(authority)
    with pytest.raises(VerificationException, match="body is not valid"):
        check(verifier, authority.headers(BODY.encode()), BODY.replace("LaunchRequest",
                                                                       "IntentRequest"))


def test_a_signature_by_another_key_is_refused(authority):
    verifier, _ = make_verifier(authority)
    with pytest.raises(VerificationException, match="body is not valid"):
        check(verifier, authority.headers(BODY.encode(), key=TestAuthority().leaf_key))


@pytest.mark.parametrize("signature", ["", "not base64!!", "QUJD"])
def test_a_malformed_or_missing_signature_is_refused(authority, signature):
    verifier, _ = make_verifier(authority)
    with pytest.raises(VerificationException):
        check(verifier, {"SignatureCertChainUrl": CERT_URL, "Signature-256": signature})


def test_missing_headers_are_refused(authority):
    verifier, fetcher = make_verifier(authority)
    with pytest.raises(VerificationException, match="Missing"):
        check(verifier, {})
    assert fetcher.calls == []


@pytest.mark.parametrize("days, reason", [((-30, -1), "expired"), ((1, 30), "not yet valid")])
def test_a_leaf_outside_its_validity_dates_is_refused(authority, days, reason):
    verifier, _ = make_verifier(authority, authority.chain_pem(authority.issue_leaf(days=days)))
    with pytest.raises(VerificationException, match="not valid"):
        check(verifier, authority.headers(BODY.encode()))


def test_a_leaf_for_another_name_is_refused(authority):
    leaf = authority.issue_leaf(name="echo-api.example.com")
    verifier, _ = make_verifier(authority, authority.chain_pem(leaf))
    with pytest.raises(VerificationException, match="not valid"):
        check(verifier, authority.headers(BODY.encode()))


def test_a_chain_to_an_untrusted_root_is_refused(authority):
    stranger = TestAuthority()
    verifier = CachedRequestVerifier(trust_roots=[authority.root],
                                     fetch=Fetcher({CERT_URL: stranger.chain_pem()}))
    with pytest.raises(VerificationException, match="not valid"):
        check(verifier, stranger.headers(BODY.encode()))


def test_garbage_instead_of_a_chain_is_refused(authority):
    verifier, _ = make_verifier(authority, b"<html>not a certificate</html>")
    with pytest.raises(VerificationException, match="not valid PEM"):
        check(verifier, authority.headers(BODY.encode()))


@pytest.mark.parametrize("url", [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../evil/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
])
def test_a_forged_certificate_url_is_refused_before_any_download(authority, url):
    verifier, fetcher = make_verifier(authority)
    with pytest.raises(VerificationException):
        check(verifier, authority.headers(BODY.encode(), url=url))
    assert fetcher.calls == []


def test_the_sdks_accepted_url_forms_are_accepted(authority):
    for url in ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
                "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
                "https://S3.AMAZONAWS.COM/echo.api/../echo.api/echo-api-cert.pem"):
        verifier = CachedRequestVerifier(trust_roots=[authority.root],
                                         fetch=Fetcher({url: authority.chain_pem()}))
        check(verifier, authority.headers(BODY.encode(), url=url))


def test_a_validated_chain_is_reused_until_it_expires(authority):
    now = [time.time()]
    verifier, fetcher = make_verifier(authority, clock=lambda: now[0])
    for _ in range(5):
        check(verifier, authority.headers(BODY.encode()))
    assert len(fetcher.calls) == 1
    now[0] += 29 * 24 * 3600  # still inside the leaf's 30 days
    check(verifier, authority.headers(BODY.encode()))
    assert len(fetcher.calls) == 1
    now[0] += 2 * 24 * 3600  # past it: fetched and validated again, and now refused
    with pytest.raises(VerificationException, match="not valid"):
        check(verifier, authority.headers(BODY.encode()))
    assert len(fetcher.calls) == 2


def test_the_cache_is_bounded(authority):
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{index}.pem" for index in range(3)]
    fetcher = Fetcher({url: authority.chain_pem() for url in urls})
    verifier = CachedRequestVerifier(trust_roots=[authority.root], fetch=fetcher, max_cached=2)
    for url in urls + [urls[0]]:
        check(verifier, authority.headers(BODY.encode(), url=url))
    assert fetcher.calls == urls + [urls[0]]  # the oldest was evicted


def test_a_refused_chain_is_not_cached(authority):
    verifier, fetcher = make_verifier(authority, authority.chain_pem(
        authority.issue_leaf(name="someone.else.example")))
    for _ in range(2):
        with pytest.raises(VerificationException):
            check(verifier, authority.headers(BODY.encode()))
    assert len(fetcher.calls) == 2


class SlowOrLarge(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x" * (200 * 1024 if self.path == "/large" else 10))

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowOrLarge)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_download_is_bounded_in_bytes_and_time(local_server):
    assert fetch_bounded(f"{local_server}/small") == b"x" * 10
    with pytest.raises(VerificationException, match="too large"):
        fetch_bounded(f"{local_server}/large")
    started = time.monotonic()
    with pytest.raises(VerificationException, match="could not download"):
        fetch_bounded(f"{local_server}/slow", timeout=0.3)
    assert time.monotonic() - started < 1.5


def signed_app(authority):
    verifier, _ = make_verifier(authority)
    return create_app(verifiers=[verifier, TimestampVerifier()]).test_client()


@pytest.mark.parametrize("offset, status", [(0, 200), (-100, 200), (-200, 400), (200, 400)])
def test_timestamps_must_be_within_150_seconds(authority, offset, status):
    moment = datetime.now(timezone.utc) + timedelta(seconds=offset)
    body = json.dumps(envelopes.launch(timestamp=moment)).encode()
    reply = signed_app(authority).post("/", data=body, headers=authority.headers(body))
    assert reply.status_code == status


def test_the_web_service_uses_the_cached_verifier_by_default():
    from skill import webservice

    app = webservice.create_app()
    from flask_ask_sdk.skill_adapter import EXTENSION_NAME

    (adapter,) = app.extensions[EXTENSION_NAME].values()
    kinds = {type(verifier).__name__ for verifier in adapter._verifiers}
    assert kinds == {"CachedRequestVerifier", "TimestampVerifier"}
