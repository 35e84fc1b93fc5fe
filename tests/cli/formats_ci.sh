#!/bin/bash
# CI formats from the same findings, for scan and check: SARIF valid
# against the official 2.1.0 schema (python3-jsonschema), GitHub workflow
# commands (escaping, 10 per level, job summary), GitLab Code Quality,
# Markdown.
. "$SRC_DIR/tests/cli/lib.bash"

SCHEMA="$SRC_DIR/tests/schemas/sarif-schema-2.1.0.json"
if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)"
	exit 0
fi
# sarif_valid FILE: schema errors, unique rule ids, results everywhere
sarif_valid() {
	python3 - "$SCHEMA" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
errs = [e.message for e in cls(schema).iter_errors(doc)]
for run in doc["runs"]:
    ids = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
    if len(ids) != len(set(ids)): errs.append("duplicate rule ids")
    if "results" not in run: errs.append("no results array")
    for res in run["results"]:
        fp = res.get("partialFingerprints", {})
        if not fp: errs.append("result without fingerprint")
        loc = res.get("locations", [])
        if not loc: errs.append("result without location: " + res["ruleId"])
print("; ".join(errs[:5]) if errs else "valid")
PY
}

R=$(new_repo app)
put "$R" .pyorgo.json '{"policy": {"language": "go"}}'
put "$R" go.mod 'module example.com/app

go 1.22

require github.com/gin-gonic/gin v1.9.1
'
put "$R" main.go 'package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	go r.Run()
}
'
commit_all "$R" 2024-02-01T10:00:00Z "app"
cd "$R" || exit 1

# scan: every format
for f in sarif github gitlab markdown json; do
	expect_rc "scan --format $f" 0 "$PYORGO" scan --no-history --format "$f"
	cp "$TEST_TMP/out" "$TEST_TMP/scan.$f"
done
expect_eq "scan SARIF is valid" "valid" "$(sarif_valid "$TEST_TMP/scan.sarif")"
expect_eq "scan SARIF has a verdict result" "True" "$(jget "$TEST_TMP/scan.sarif" '"pyorgo.verdict" in [r["ruleId"] for r in d["runs"][0]["results"]]')"
expect_eq "the verdict points at the manifest" "go.mod" "$(jget "$TEST_TMP/scan.sarif" '[r for r in d["runs"][0]["results"] if r["ruleId"]=="pyorgo.verdict"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]')"
expect_match "scan markdown has the recommendation" '^## Recommendation' "$TEST_TMP/scan.markdown"
expect_eq "scan gitlab is a list with paths" "True" "$(jget "$TEST_TMP/scan.gitlab" 'all(i["location"]["path"] and i["location"]["lines"]["begin"] >= 1 for i in d) and len(d) > 0')"

# check with nothing staged: results present and empty
expect_rc "check --format sarif, nothing staged" 0 "$PYORGO" check --staged --format sarif
expect_eq "empty check SARIF is valid" "valid" "$(sarif_valid "$TEST_TMP/out")"
expect_eq "empty check SARIF has results: []" "[]" "$(jget "$TEST_TMP/out" 'd["runs"][0]["results"]')"

# a violating change with awkward names and characters
mkdir -p "svc"
printf 'import torch  # 100%% sure\n' >"svc/a,b:c.py"
for i in $(seq 1 14); do printf 'import fastapi\nimport torch\n' >"svc/m$i.py"; done
git add svc
expect_rc "check --format sarif exits 1 on a violation" 1 "$PYORGO" check --staged --format sarif
cp "$TEST_TMP/out" "$TEST_TMP/check.sarif"
expect_eq "check SARIF is valid" "valid" "$(sarif_valid "$TEST_TMP/check.sarif")"
expect_eq "violations are errors" "True" "$(jget "$TEST_TMP/check.sarif" 'any(r["level"]=="error" for r in d["runs"][0]["results"])')"
expect_eq "fingerprints are unique" "True" "$(jget "$TEST_TMP/check.sarif" 'len({r["partialFingerprints"]["pyorgoFinding/v1"] for r in d["runs"][0]["results"]}) == len(d["runs"][0]["results"])')"

# GitHub: escaping, cap of 10 per level, summary file
export GITHUB_STEP_SUMMARY="$TEST_TMP/summary.md"
: >"$GITHUB_STEP_SUMMARY"
expect_rc "check --format github" 1 "$PYORGO" check --staged --format github
cp "$TEST_TMP/out" "$TEST_TMP/gh.txt"
expect_match "file property escapes , and :" '^::error file=svc/a%2Cb%3Ac.py,line=1,' "$TEST_TMP/gh.txt"
expect_match "message escapes %" '100%25 sure' "$TEST_TMP/gh.txt"
expect_eq "at most 10 errors" "10" "$(grep -c '^::error ' "$TEST_TMP/gh.txt")"
expect_match "a closing notice counts the rest" '^::notice title=pyorgo::.*more results' "$TEST_TMP/gh.txt"
expect_eq "every line is a workflow command" "0" "$(grep -vc '^::' "$TEST_TMP/gh.txt")"
expect_match "job summary written" '^### Policy violations' "$GITHUB_STEP_SUMMARY"
unset GITHUB_STEP_SUMMARY

# GitLab Code Quality
expect_rc "check --format gitlab" 1 "$PYORGO" check --staged --format gitlab
expect_eq "gitlab fields and unique fingerprints" "True" "$(jget "$TEST_TMP/out" 'all(set(i) >= {"description","check_name","fingerprint","severity","location"} for i in d) and len({i["fingerprint"] for i in d}) == len(d) and any(i["severity"]=="critical" for i in d)')"

# Markdown PR comment
expect_rc "check --format markdown" 1 "$PYORGO" check --staged --format markdown
expect_match "markdown lists violations" '^### Policy violations \([0-9]+\)' "$TEST_TMP/out"
expect_match "markdown lists changed files" '^\| `svc/a,b:c.py` \| A \|' "$TEST_TMP/out"

# fingerprints do not depend on line numbers
git reset -q && rm -rf svc
put "$R" svc/x.py 'import torch
'
git add svc && "$PYORGO" check --staged --format sarif >"$TEST_TMP/fp1.sarif"
put "$R" svc/x.py '"""doc"""


import torch
'
git add svc && "$PYORGO" check --staged --format sarif >"$TEST_TMP/fp2.sarif"
fp='sorted(r["partialFingerprints"]["pyorgoFinding/v1"] for r in d["runs"][0]["results"] if r["ruleId"]=="ml.torch")'
expect_eq "fingerprint survives a line move" "$(jget "$TEST_TMP/fp1.sarif" "$fp")" "$(jget "$TEST_TMP/fp2.sarif" "$fp")"
expect_eq "line did move" "4" "$(jget "$TEST_TMP/fp2.sarif" '[r for r in d["runs"][0]["results"] if r["ruleId"]=="ml.torch"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]')"

finish
