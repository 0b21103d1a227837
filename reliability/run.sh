#!/usr/bin/env bash
# `make reliability`: the reliability tests, then reliability/RESULTS.md from their figures.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf reliability/results
.venv/bin/pytest -q -p no:cacheprovider tests/test_ops_definitions.py tests/test_ops_inputs.py \
    tests/test_ops_access.py tests/test_ops_pipeline.py 2>&1 | tee reliability/pytest.log
status=$?
summary=$(tail -1 reliability/pytest.log | tr -d '=')
.venv/bin/python -m reliability.report "$summary" > /dev/null
echo "reliability/RESULTS.md written ($summary)"
exit $status
