"""WSGI apps for the throughput benchmark, served by gunicorn as the README recommends.

BENCH_VERIFY=1 verifies every request against the test authority in BENCH_CA_DIR
(root.pem, chain.pem), exactly as production verifies against Alexa's chain;
BENCH_VERIFY=0 is the same app without verification. The load test sends the
same signed bodies over and over, so the production ReplayVerifier (which would
refuse every repeat) is left out; it is a dictionary lookup under a lock.
"""

import os
from pathlib import Path

from cryptography import x509

from skill.persistence.sqlite import SQLiteAdapter
from skill.verifier import AwareTimestampVerifier, CachedRequestVerifier
from skill.webservice import create_app


def app():
    store = SQLiteAdapter(os.environ["BENCH_DB"])
    if os.environ.get("BENCH_VERIFY") != "1":
        return create_app(verify=False, persistence_adapter=store)
    authority = Path(os.environ["BENCH_CA_DIR"])
    root = x509.load_pem_x509_certificate((authority / "root.pem").read_bytes())
    chain = (authority / "chain.pem").read_bytes()
    verifier = CachedRequestVerifier(trust_roots=[root], fetch=lambda url: chain)
    return create_app(verifiers=[verifier, AwareTimestampVerifier()], persistence_adapter=store)
