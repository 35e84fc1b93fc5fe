#!/bin/bash
# The pre-commit hook of .pre-commit-hooks.yaml, run by the real pre-commit
# framework, offline: a fixture hook repository (a copy of this project's
# hook definition, cloned over file://) and a fixture project whose policy
# declares Go. A staged `import torch` is refused with a readable message;
# a clean change is committed.
. "$SRC_DIR/tests/cli/lib.bash"

if ! command -v pre-commit >/dev/null 2>&1; then
	echo "SKIP: pre-commit is not installed (apt-get install -y pre-commit)"
	exit 0
fi
export PRE_COMMIT_HOME="$TEST_TMP/pre-commit-cache"
# language: system runs `pyorgo` from PATH: the binary under test
mkdir -p "$TEST_TMP/bin" && ln -sf "$PYORGO" "$TEST_TMP/bin/pyorgo"
export PATH="$TEST_TMP/bin:$PATH"

H=$(new_repo hooks)
cp "$SRC_DIR/.pre-commit-hooks.yaml" "$H/"
commit_all "$H" 2024-03-01T10:00:00Z "hooks"
REV=$(git -C "$H" rev-parse HEAD)

P=$(new_repo project)
put "$P" .pyorgo.json '{"policy": {"language": "go"}}'
put "$P" main.go 'package main

func main() {}
'
cat >"$P/.pre-commit-config.yaml" <<YAML
repos:
  - repo: file://$H
    rev: $REV
    hooks:
      - id: pyorgo-check
YAML
commit_all "$P" 2024-03-01T11:00:00Z "project"
cd "$P" || exit 1
expect_rc "pre-commit install" 0 pre-commit install

# a change that breaks the policy is refused
put "$P" svc/model.py 'import torch
'
git add svc/model.py
expect_rc "commit with torch in a Go service is refused" 1 \
	gitd 2024-03-01T12:00:00Z commit -q -m "add model"
cat "$TEST_TMP/out" "$TEST_TMP/err" >"$TEST_TMP/both"
expect_match "the hook failed by name" 'pyorgo check.*Failed' "$TEST_TMP/both"
expect_match "the message says what and where" 'svc/model.py:1: adds Python evidence \(ml.torch' "$TEST_TMP/both"
expect_match "the message says how to accept it" 'pyorgo: ignore\[ml.torch\]' "$TEST_TMP/both"
expect_eq "nothing was committed" "project" "$(git log -1 --format=%s)"

# a clean change goes through
git rm -q --cached svc/model.py && rm -rf svc
put "$P" handler.go 'package main

import "net/http"

func handler(w http.ResponseWriter, r *http.Request) {}
'
git add handler.go
expect_rc "a clean Go change is committed" 0 \
	gitd 2024-03-01T13:00:00Z commit -q -m "add handler"
expect_eq "the clean commit is there" "add handler" "$(git log -1 --format=%s)"
cat "$TEST_TMP/out" "$TEST_TMP/err" >"$TEST_TMP/both"
expect_match "the hook ran and passed" 'pyorgo check.*Passed' "$TEST_TMP/both"

finish
