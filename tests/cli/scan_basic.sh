#!/bin/bash
# pyorgo scan on real repositories built here: every way of naming a
# repository, --rev, committed objects only, nothing written, JSON schema.
. "$SRC_DIR/tests/cli/lib.bash"

r=$(new_repo basic)
put "$r" app/main.py 'import os

def main():
    # say hello
    print("hi")
'
put "$r" app/util.go 'package app

// Add adds.
func Add(a, b int) int {
	return a + b
}
'
put "$r" README.md '# demo
'
put "$r" config.yaml 'a: 1
'
commit_all "$r" 2024-01-10T10:00:00Z "first"
first=$(git -C "$r" rev-parse HEAD)
put "$r" app/extra.py 'x = 1
'
commit_all "$r" 2024-02-10T10:00:00Z "second"
# uncommitted files never count
put "$r" app/untracked.py 'y = 2
'
put "$r" app/main.py 'changed = True
'

snap() { (cd "$1" && find . -path ./.git/objects -prune -o -type f -print0 | sort -z | xargs -0 sha1sum; ls -la .git/objects) | sha1sum; }
before=$(snap "$r")

expect_rc "scan work tree" 0 "$PYORGO" scan "$r" --format json --no-history
cp "$TEST_TMP/out" "$TEST_TMP/wt.json"
expect_eq "python files at HEAD" 2 "$(jget "$TEST_TMP/wt.json" '[l["files"] for l in d["languages"] if l["name"]=="Python"][0]')"
expect_eq "python bytes exclude uncommitted edits" \
	"$(( $(git -C "$r" cat-file -s HEAD:app/main.py) + $(git -C "$r" cat-file -s HEAD:app/extra.py) ))" \
	"$(jget "$TEST_TMP/wt.json" '[l["bytes"] for l in d["languages"] if l["name"]=="Python"][0]')"
expect_eq "python lines" "6" "$(jget "$TEST_TMP/wt.json" '[l["lines"] for l in d["languages"] if l["name"]=="Python"][0]')"
expect_eq "python comment lines" "1" "$(jget "$TEST_TMP/wt.json" '[l["comment"] for l in d["languages"] if l["name"]=="Python"][0]')"
expect_eq "go code lines" "4" "$(jget "$TEST_TMP/wt.json" '[l["code"] for l in d["languages"] if l["name"]=="Go"][0]')"
expect_eq "YAML is data, not in share" "False" "$(jget "$TEST_TMP/wt.json" '[l["in_share"] for l in d["languages"] if l["name"]=="YAML"][0]')"
expect_eq "commit resolved" "$(git -C "$r" rev-parse HEAD)" "$(jget "$TEST_TMP/wt.json" 'd["revision"]["commit"]')"
expect_eq "schema version" "1.0" "$(jget "$TEST_TMP/wt.json" 'd["schema_version"]')"
expect_eq "shares sum to 100" "100.0" "$(jget "$TEST_TMP/wt.json" 'round(sum(l["share"] for l in d["languages"]),1)')"

expect_rc "scan subfolder" 0 "$PYORGO" scan "$r/app" --format json --no-history
expect_eq "subfolder finds the repository" "$(jget "$TEST_TMP/wt.json" 'd["revision"]["commit"]')" "$(jget "$TEST_TMP/out" 'd["revision"]["commit"]')"
expect_rc "scan .git dir" 0 "$PYORGO" scan "$r/.git" --format json --no-history
expect_eq ".git dir gives the same languages" "$(jget "$TEST_TMP/wt.json" 'd["languages"]')" "$(jget "$TEST_TMP/out" 'd["languages"]')"

git clone -q --bare "$r" "$TEST_TMP/basic.git"
expect_rc "scan bare repository" 0 "$PYORGO" scan "$TEST_TMP/basic.git" --format json --no-history
expect_eq "bare is reported" "True" "$(jget "$TEST_TMP/out" 'd["repository"]["bare"]')"
expect_eq "bare gives the same languages" "$(jget "$TEST_TMP/wt.json" 'd["languages"]')" "$(jget "$TEST_TMP/out" 'd["languages"]')"

expect_rc "scan --rev" 0 "$PYORGO" scan "$r" --rev "$first" --format json --no-history
expect_eq "--rev resolves the older commit" "$first" "$(jget "$TEST_TMP/out" 'd["revision"]["commit"]')"
expect_eq "--rev sees one python file" 1 "$(jget "$TEST_TMP/out" '[l["files"] for l in d["languages"] if l["name"]=="Python"][0]')"

(cd "$r/app" && "$PYORGO" scan --format json --no-history >"$TEST_TMP/cwd.json" 2>/dev/null)
expect_eq "default path is the current folder" "$(jget "$TEST_TMP/wt.json" 'd["revision"]["commit"]')" "$(jget "$TEST_TMP/cwd.json" 'd["revision"]["commit"]')"

expect_rc "text report" 0 "$PYORGO" scan "$r" --no-history
expect_match "text lists Python" "^  Python" "$TEST_TMP/out"
expect_no_match "no colour when not a terminal" $'\033' "$TEST_TMP/out"
awk 'length > 80 { bad = 1 } END { exit bad }' "$TEST_TMP/out" && ok "text fits 80 columns" || fail "text wider than 80 columns"

expect_eq "repository not written" "$before" "$(snap "$r")"
expect_eq "working tree edits kept" "changed = True" "$(head -1 "$r/app/main.py")"

# the JSON validates against the documented schema
python3 - "$SRC_DIR/docs/schema/report.schema.json" "$TEST_TMP/wt.json" <<'PY' && ok "JSON validates against docs/schema/report.schema.json" || fail "JSON does not validate"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY

"$PYORGO" scan "$r" --format json --no-timings >"$TEST_TMP/a.json" 2>/dev/null
"$PYORGO" scan "$r" --format json --no-timings >"$TEST_TMP/b.json" 2>/dev/null
cmp -s "$TEST_TMP/a.json" "$TEST_TMP/b.json" && ok "byte-identical JSON across runs" || fail "JSON differs between runs"

expect_rc "--version" 0 "$PYORGO" --version
expect_match "--version names the rules" "^rules " "$TEST_TMP/out"
expect_rc "--help" 0 "$PYORGO" --help
expect_rc "scan --help" 0 "$PYORGO" scan --help
expect_match "scan --help lists --rev" "--rev REV" "$TEST_TMP/out"
finish
