#!/bin/bash
# pyorgo check: staged and base modes, evidence added/removed/moved,
# policy (contradiction, allow, inline ignore, monorepo paths, flip) and
# every exit code end to end.
. "$SRC_DIR/tests/cli/lib.bash"

R=$(new_repo svc)
put "$R" .pyorgo.json '{"policy": {"language": "go", "paths": {"ml/": "python"}}}'
put "$R" go.mod 'module example.com/gw

go 1.22
'
put "$R" main.go 'package main

import "net/http"

func main() { go http.ListenAndServe(":8080", nil) }
'
put "$R" ml/train.py 'import torch
'
commit_all "$R" 2024-01-10T10:00:00Z "gateway"
cd "$R" || exit 1

# nothing staged: success, nothing added
expect_rc "clean index exits 0" 0 "$PYORGO" check --staged --format json
expect_eq "no files changed" "0" "$(jget "$TEST_TMP/out" 'len(d["files"])')"

# torch in the Go part: a contradiction, exit 1, readable message
put "$R" svc/model.py 'import torch

def predict(x):
    return torch.zeros(1)
'
git add svc/model.py
expect_rc "torch staged in a Go service exits 1" 1 "$PYORGO" check --staged
expect_match "message names the file and the rule" 'svc/model.py:1: adds Python evidence \(ml.torch' "$TEST_TMP/err"
expect_match "message names the declared language" 'declared Go in .pyorgo.json' "$TEST_TMP/err"
expect_match "text lists the added evidence" '^  \+ svc/model.py:1  ml.torch' "$TEST_TMP/out"

# the same import under ml/ (declared python) is fine
git reset -q
mkdir -p ml && printf 'import torch\nimport torch.nn\n' >ml/more.py
git add ml/more.py
expect_rc "torch under ml/ (declared python) exits 0" 0 "$PYORGO" check --staged --format json
expect_eq "evidence added under ml/" "True" "$(jget "$TEST_TMP/out" 'len(d["added"]) >= 1')"
git reset -q && rm -f ml/more.py

# inline suppression, on the line and on the line above
put "$R" svc/model.py 'import torch  # pyorgo: ignore[ml.torch]
'
git add svc/model.py
expect_rc "ignore[ml.torch] on the line" 0 "$PYORGO" check --staged
put "$R" svc/model.py '# pyorgo: ignore
import torch
'
git add svc/model.py
expect_rc "bare ignore on the line above" 0 "$PYORGO" check --staged
put "$R" svc/model.py 'import torch  # pyorgo: ignore[ml.other]
'
git add svc/model.py
expect_rc "ignore of another rule does not hide it" 1 "$PYORGO" check --staged

# allow lists, from --config
printf '{"policy": {"language": "go", "allow": ["ml.torch"]}}' >"$TEST_TMP/allow-rule.json"
printf '{"policy": {"language": "go", "allow": ["svc/*.py"]}}' >"$TEST_TMP/allow-path.json"
printf '{"policy": {"language": "go", "fail_on": "never"}}' >"$TEST_TMP/never.json"
expect_rc "allow by rule id" 0 "$PYORGO" check --staged --config "$TEST_TMP/allow-rule.json"
expect_rc "allow by path glob" 0 "$PYORGO" check --staged --config "$TEST_TMP/allow-path.json"
expect_rc "fail_on never" 0 "$PYORGO" check --staged --config "$TEST_TMP/never.json"
expect_rc "no config: no policy" 0 "$PYORGO" check --staged --no-config

# exit 2: usage and configuration errors
expect_rc "no mode is a usage error" 2 "$PYORGO" check
expect_rc "--staged with --base is a usage error" 2 "$PYORGO" check --staged --base HEAD
expect_rc "unknown format" 2 "$PYORGO" check --staged --format yaml
printf '{"policy": {"language": "rust"}}' >"$TEST_TMP/bad.json"
expect_rc "invalid policy is a configuration error" 2 "$PYORGO" check --staged --config "$TEST_TMP/bad.json"
expect_rc "missing config file" 2 "$PYORGO" check --staged --config "$TEST_TMP/none.json"
# exit 3: repository errors
expect_rc "unknown base revision" 3 "$PYORGO" check --base no-such-branch
expect_rc "not a repository" 3 "$PYORGO" check --staged "$TEST_TMP/home"
# exit 4: a broken rule file
mkdir -p "$TEST_TMP/rules" && cp "$SRC_DIR"/rules/*.json "$TEST_TMP/rules/"
printf '{"kind": "ml", "rules": [ {"id": }' >"$TEST_TMP/rules/ml.json"
expect_rc "broken rule file" 4 "$PYORGO" check --staged --rules "$TEST_TMP/rules"

# --base: a branch that adds torch, from the merge base only
git reset -q && rm -rf svc
git checkout -q -b feature
put "$R" svc/model.py 'import torch
'
commit_all "$R" 2024-01-11T10:00:00Z "add model"
git checkout -q main
put "$R" other.go 'package main
'
commit_all "$R" 2024-01-12T10:00:00Z "main moves on"
git checkout -q feature
expect_rc "base mode finds the contradiction" 1 "$PYORGO" check --base main --format json
expect_eq "only the branch's file is listed" "['svc/model.py']" "$(jget "$TEST_TMP/out" '[f["path"] for f in d["files"]]')"
expect_eq "one violation of kind contradiction" "contradiction" "$(jget "$TEST_TMP/out" 'd["policy"]["violations"][0]["kind"]')"
expect_rc "--head gives the same" 1 "$PYORGO" check --base main --head feature

# moved code is not new: the import moves inside and across files
git checkout -q main
git checkout -q -b move
put "$R" ml/train.py '"""Training."""

import os
import torch
'
commit_all "$R" 2024-01-13T10:00:00Z "move lines"
expect_rc "moved lines: exit 0" 0 "$PYORGO" check --base main --format json
expect_eq "moved lines add nothing" "0" "$(jget "$TEST_TMP/out" 'len(d["added"])')"
git mv ml/train.py ml/fit.py
commit_all "$R" 2024-01-14T10:00:00Z "rename"
expect_rc "renamed file: exit 0" 0 "$PYORGO" check --base main --format json
expect_eq "renamed file adds nothing" "0" "$(jget "$TEST_TMP/out" 'len(d["added"])')"
git rm -q ml/fit.py
commit_all "$R" 2024-01-15T10:00:00Z "drop training"
expect_rc "deletion: exit 0" 0 "$PYORGO" check --base main --format json
expect_eq "deleted torch is removed evidence" "ml.torch" "$(jget "$TEST_TMP/out" 'd["removed"][0]["rule_id"]')"

# flip and hard-constraint policies
git checkout -q main
printf '{"policy": {"fail_on": ["hard-constraint"]}}' >"$TEST_TMP/hard.json"
printf '{"policy": {"fail_on": "flip"}}' >"$TEST_TMP/flip.json"
put "$R" svc/infer.py 'import torch
model = torch.load("m.pt")
'
git add svc/infer.py
"$PYORGO" check --staged --config "$TEST_TMP/hard.json" --format json >"$TEST_TMP/hard.out"
expect_eq "head verdict with torch is python" "python" "$(jget "$TEST_TMP/hard.out" 'd["verdict"]["head"]')"
expect_eq "a new hard constraint is reported" "True" "$(jget "$TEST_TMP/hard.out" 'len(d["verdict"]["new_hard_constraints"]) >= 1')"
expect_rc "fail_on hard-constraint exits 1" 1 "$PYORGO" check --staged --config "$TEST_TMP/hard.json"
"$PYORGO" check --staged --config "$TEST_TMP/flip.json" --format json >"$TEST_TMP/flip.out"
expect_eq "torch in a Go repo moves the verdict" "go -> python" "$(jget "$TEST_TMP/flip.out" 'd["verdict"]["base"] + " -> " + d["verdict"]["head"]')"
expect_rc "fail_on flip exits 1" 1 "$PYORGO" check --staged --config "$TEST_TMP/flip.json"

# during a merge with a conflict: stage 2 ("ours") is read, not the work tree
git reset -q && rm -rf svc
git checkout -q -b left
put "$R" main.go 'package main

func main() {}
'
commit_all "$R" 2024-01-16T10:00:00Z "left"
git checkout -q main
put "$R" main.go 'package main

func main() { println("x") }
'
commit_all "$R" 2024-01-17T10:00:00Z "right"
git merge -q left >/dev/null 2>&1
expect_rc "unmerged index: exit 0" 0 "$PYORGO" check --staged --format json
expect_match "warns about unmerged paths" 'unmerged' "$TEST_TMP/out"
git merge --abort

# before the first commit: nothing to compare with, not an error
U=$(new_repo unborn)
put "$U" a.py 'import torch
'
git -C "$U" add a.py
expect_rc "staged check before the first commit exits 0" 0 "$PYORGO" check --staged "$U"
expect_match "and says the first commit is not checked" 'first commit is not checked' "$TEST_TMP/out"

finish
