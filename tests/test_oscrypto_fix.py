"""The web service's verifier chain must import on this machine's OpenSSL."""

import re
import ssl
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TWO_DIGIT_PATCH = re.search(r"\b\d\.\d\.\d\d", ssl.OPENSSL_VERSION) is not None


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)


def test_web_service_imports_and_builds_the_sdk_verifier():
    result = run("import skill.webservice; "
                 "from ask_sdk_webservice_support.verifier import RequestVerifier; "
                 "from oscrypto._openssl._libcrypto import libcrypto_version; "
                 "RequestVerifier(); print(libcrypto_version)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in ssl.OPENSSL_VERSION


@pytest.mark.skipif(not TWO_DIGIT_PATCH, reason="this OpenSSL's version oscrypto reads unaided")
def test_without_the_fix_flask_ask_sdk_cannot_import_here():
    """Proves the fix is still needed: remove it and the service cannot start."""
    result = run("import flask_ask_sdk.skill_adapter")
    assert result.returncode != 0
    assert "Error detecting the version of libcrypto" in result.stderr
