#!/bin/sh
# The ASK CLI's build hook: `ask deploy` runs {projectRoot}/hooks/build.sh with the zip to
# write and a debug flag, instead of its own Python build. This ships the very zip
# `make lambda-zip` builds (tools/lambda_zip.py: .pyc files for Lambda's python3.12, only
# what the Lambda path imports), so SAM and the ASK CLI deploy the same bytes.
set -eu
zip_file="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
make -C "$root" --no-print-directory --quiet .venv/bin/.installed
"$root/.venv/bin/python" "$root/tools/lambda_zip.py" --output "$zip_file"
