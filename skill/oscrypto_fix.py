"""Lets flask-ask-sdk's verifier chain import on OpenSSL 3.0.10 and later.

flask_ask_sdk imports ask_sdk_webservice_support.verifier, which imports
certvalidator, which imports oscrypto 1.3.0. oscrypto reads the OpenSSL version
with the regex \\b(\\d\\.\\d\\.\\d[a-z]*)\\b, which cannot match a two-digit
patch number ("OpenSSL 3.0.19"), and then refuses to load at all: "Error
detecting the version of libcrypto". Upstream fixed the regex
(wbond/oscrypto#75, #78) but never released it.

install() puts an import hook in front of the two oscrypto modules that hold
the regex and compiles them with upstream's fixed regex. It changes nothing
else, and nothing at all once a fixed oscrypto is installed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys

BROKEN_REGEX = "'\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b'"
FIXED_REGEX = "'\\\\b(\\\\d+\\\\.\\\\d+\\\\.\\\\d+[a-z]*)\\\\b'"
PATCHED_MODULES = ("oscrypto._openssl._libcrypto_cffi", "oscrypto._openssl._libcrypto_ctypes")


class _FixedVersionLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        source = self.get_data(self.path).decode("utf-8")
        return compile(source.replace(BROKEN_REGEX, FIXED_REGEX), self.path, "exec")


class _OscryptoVersionFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in PATCHED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        return importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=_FixedVersionLoader(fullname, spec.origin))


def install() -> None:
    if not any(isinstance(finder, _OscryptoVersionFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OscryptoVersionFinder())
