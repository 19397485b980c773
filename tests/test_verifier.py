"""The cached request verifier, against a test certificate authority; no network."""

import json
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler

import pytest
from ask_sdk_model import LaunchRequest, RequestEnvelope
from ask_sdk_webservice_support.verifier import VerificationException

from skill import envelopes
from skill.verifier import (
    AwareTimestampVerifier,
    CachedRequestVerifier,
    ReplayVerifier,
    fetch_bounded,
)
from skill.webservice import create_app
from tests.authority import CERT_URL, TestAuthority
from tests.local_http import LocalServer


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
        if url not in self.chains:  # as fetch_bounded does on a 404
            raise VerificationException("could not download the certificate chain: HTTPError")
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


def test_the_sdks_accepted_url_forms_are_accepted_as_one_chain(authority):
    canonical = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
    fetcher = Fetcher({canonical: authority.chain_pem()})
    verifier = CachedRequestVerifier(trust_roots=[authority.root], fetch=fetcher)
    for url in (canonical, "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
                "https://S3.AMAZONAWS.COM/echo.api/../echo.api/echo-api-cert.pem",
                "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem"):
        check(verifier, authority.headers(BODY.encode(), url=url))
    assert fetcher.calls == [canonical]  # however it is spelled, one download


@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com:abc/echo.api/echo-api-cert.pem",
    "https://[::1/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/echo api cert.pem",
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem\r\nX-Evil: 1",
    "https://s3.amazonaws.com/echo.api/" + "a" * 2000,
    "https://s3.amazonaws.com/echo.api/caf\u00e9.pem",
])
def test_a_malformed_certificate_url_is_refused_cleanly(authority, url):
    verifier, fetcher = make_verifier(authority)
    with pytest.raises(VerificationException, match="malformed"):
        check(verifier, authority.headers(BODY.encode(), url=url))
    assert fetcher.calls == []


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


def test_the_cache_is_bounded_and_never_evicts_a_verified_chain(authority):
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{index}.pem" for index in range(3)]
    fetcher = Fetcher({url: authority.chain_pem() for url in urls})
    verifier = CachedRequestVerifier(trust_roots=[authority.root], fetch=fetcher, max_cached=2)
    for url in urls + [urls[0], urls[1], urls[2]]:
        check(verifier, authority.headers(BODY.encode(), url=url))
    # The first two stay cached; the third, with no room, is verified but not kept.
    assert fetcher.calls == urls + [urls[2]]


def test_a_refused_chain_is_remembered_for_a_while(authority):
    now = [time.time()]
    verifier, fetcher = make_verifier(authority, authority.chain_pem(
        authority.issue_leaf(name="someone.else.example")), clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(VerificationException):
            check(verifier, authority.headers(BODY.encode()))
    assert len(fetcher.calls) == 1
    now[0] += 301
    with pytest.raises(VerificationException):
        check(verifier, authority.headers(BODY.encode()))
    assert len(fetcher.calls) == 2


def test_attacker_chosen_urls_cannot_push_out_the_genuine_chain_or_force_downloads(authority):
    """Hundreds of valid-shaped URLs, each a failing download: the genuine chain
    stays cached, refusals are remembered, and downloads stop at the limit."""
    genuine = Fetcher({CERT_URL: authority.chain_pem()})
    verifier = CachedRequestVerifier(trust_roots=[authority.root], fetch=genuine)
    check(verifier, authority.headers(BODY.encode()))
    refused = 0
    for index in range(300):
        url = f"https://s3.amazonaws.com/echo.api/attacker-{index}.pem"
        with pytest.raises(VerificationException) as error:
            check(verifier, authority.headers(BODY.encode(), url=url))
        refused += "too many certificate downloads" in str(error.value)
    assert len(genuine.calls) == 1 + 9 and refused == 300 - 9  # 10 downloads a minute at most
    check(verifier, authority.headers(BODY.encode()))  # the genuine chain: still no download
    assert len(genuine.calls) == 10


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
    server = LocalServer(SlowOrLarge)
    yield server.url
    server.close()


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
    return create_app(verifiers=[verifier, AwareTimestampVerifier(),
                                 ReplayVerifier()]).test_client()


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
    kinds = [type(verifier).__name__ for verifier in adapter._verifiers]
    assert kinds == ["CachedRequestVerifier", "AwareTimestampVerifier", "ReplayVerifier"]


def test_a_timestamp_without_a_time_zone_is_refused_not_a_500(authority):
    body = json.dumps(envelopes.launch()).replace("Z\"", "\"", 1).encode()
    assert b'Z"' not in body.split(b'"timestamp"')[1][:30]
    reply = signed_app(authority).post("/", data=body, headers=authority.headers(body))
    assert reply.status_code == 400 and reply.get_json() == {
        "error": "request verification failed"}


def test_a_replayed_signed_request_is_refused(authority):
    app = signed_app(authority)
    body = json.dumps(envelopes.launch()).encode()
    headers = authority.headers(body)
    assert app.post("/", data=body, headers=headers).status_code == 200
    again = app.post("/", data=body, headers=headers)
    assert again.status_code == 400 and again.get_json() == {
        "error": "request verification failed"}
    fresh = json.dumps(envelopes.launch()).encode()  # a new request id
    assert app.post("/", data=fresh, headers=authority.headers(fresh)).status_code == 200


def test_replays_are_remembered_within_bounds():
    now = [0.0]
    replays = ReplayVerifier(window=180, max_remembered=3, clock=lambda: now[0])

    def seen(request_id: str) -> bool:
        try:
            replays.verify({"Signature": "s"}, "", RequestEnvelope(
                request=LaunchRequest(request_id=request_id)))
            return False
        except VerificationException:
            return True

    assert not seen("a") and seen("a")
    for other in "bcd":
        assert not seen(other)
    assert not seen("a")  # pushed out by the bound: at most 3 remembered
    now[0] += 181
    assert not seen("b")  # the window has passed
