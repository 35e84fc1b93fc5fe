#!/bin/bash
# The CI templates run ci/pyorgo-ci.sh; this test runs the same script on a
# pull-request-like fixture (a branch against main) and checks that the
# templates call it. Building (`pyorgo-ci.sh build`) is skipped unless
# PYORGO_TEST_BUILD=1, as it compiles the whole project.
. "$SRC_DIR/tests/cli/lib.bash"

CI_SH="$SRC_DIR/ci/pyorgo-ci.sh"
expect_match "action.yml builds with the script" 'pyorgo-ci.sh" build' "$SRC_DIR/action.yml"
expect_match "action.yml checks with the script" 'CI_SH" check "\$PYORGO" .* sarif pyorgo.sarif' "$SRC_DIR/action.yml"
expect_match "action.yml uploads SARIF" 'github/codeql-action/upload-sarif@' "$SRC_DIR/action.yml"
expect_match "gitlab template checks with the script" 'pyorgo-ci.sh" check .* gitlab gl-code-quality-report.json' "$SRC_DIR/ci/gitlab-ci.yml"
expect_match "gitlab template publishes codequality" 'codequality: gl-code-quality-report.json' "$SRC_DIR/ci/gitlab-ci.yml"
if python3 -c 'import yaml' 2>/dev/null; then
	for y in action.yml ci/gitlab-ci.yml .pre-commit-hooks.yaml; do
		expect_rc "$y is valid YAML" 0 python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$SRC_DIR/$y"
	done
fi

R=$(new_repo pr)
put "$R" .pyorgo.json '{"policy": {"language": "go"}}'
put "$R" main.go 'package main

func main() {}
'
commit_all "$R" 2024-04-01T10:00:00Z "main"
git -C "$R" checkout -q -b feature
put "$R" svc/h.go 'package main

import "net/http"

func h(w http.ResponseWriter, r *http.Request) { go func() {}() }
'
commit_all "$R" 2024-04-02T10:00:00Z "clean change"

if [ "${PYORGO_TEST_BUILD:-0}" = 1 ]; then
	expect_rc "pyorgo-ci.sh build" 0 "$CI_SH" build "$SRC_DIR" "$TEST_TMP/build"
	PYORGO="$TEST_TMP/build/pyorgo"
fi

cd "$R" || exit 1
expect_rc "GitHub step on a clean change exits 0" 0 "$CI_SH" check "$PYORGO" main sarif "$TEST_TMP/pyorgo.sarif"
expect_eq "SARIF written" "2.1.0" "$(jget "$TEST_TMP/pyorgo.sarif" 'd["version"]')"
expect_rc "GitLab step on a clean change exits 0" 0 "$CI_SH" check "$PYORGO" main gitlab "$TEST_TMP/gl.json"
expect_eq "Code Quality report is a list" "True" "$(jget "$TEST_TMP/gl.json" 'isinstance(d, list)')"

put "$R" svc/model.py 'import torch
'
commit_all "$R" 2024-04-03T10:00:00Z "torch"
expect_rc "GitHub step on a violation exits 1" 1 "$CI_SH" check "$PYORGO" main sarif "$TEST_TMP/pyorgo.sarif"
expect_eq "the violation is an error result" "error" "$(jget "$TEST_TMP/pyorgo.sarif" 'd["runs"][0]["results"][0]["level"]')"
expect_rc "GitLab step on a violation exits 1" 1 "$CI_SH" check "$PYORGO" main gitlab "$TEST_TMP/gl.json"
expect_eq "the violation is critical" "critical" "$(jget "$TEST_TMP/gl.json" 'd[0]["severity"]')"
expect_rc "an unknown base is a repository error" 3 "$CI_SH" check "$PYORGO" origin/nope sarif "$TEST_TMP/x.sarif"

finish
