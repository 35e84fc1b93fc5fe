#!/bin/bash
# A hostile repository: odd path bytes, a very deep tree, a blob over the
# size limit, a 5 MB single line, binary files with source names, a
# pathological user rule. The scan must finish, exit 0, write valid JSON,
# and say in warnings what it skipped.
. "$SRC_DIR/tests/cli/lib.bash"

r=$(new_repo hostile)
put "$r" app/main.py 'import os
print(os.getcwd())
'
# a path with a newline, a tab and invalid UTF-8
printf 'x = 1\n' >"$r/app/$(printf 'we\nird\tname\xff.py')"
# 300 levels deep
deep="$r/d"
for i in $(seq 1 300); do deep="$deep/d"; done
mkdir -p "$deep"
printf 'package deep\n' >"$deep/deep.go"
# 3 MB blob: over --max-blob-size 1000000 below
head -c 3000000 /dev/zero | tr '\0' 'a' >"$r/big.py"
# 5 MB on one line
{ printf 'x = "'; head -c 5000000 /dev/zero | tr '\0' 'b'; printf '"\n'; } >"$r/oneline.py"
# binary content under source and manifest names
head -c 4096 /dev/urandom >"$r/blob.py"
printf 'torch\0\0\0\x01\x02' >"$r/requirements.txt"
printf '[project\ndependencies = ["fastapi"' >"$r/pyproject.toml"
commit_all "$r" 2024-01-10T10:00:00Z "hostile"

expect_rc "scan finishes" 0 "$PYORGO" scan "$r" --format json --max-blob-size 1000000
cp "$TEST_TMP/out" "$TEST_TMP/h.json"
python3 - "$TEST_TMP/h.json" "$SRC_DIR/docs/schema/report.schema.json" <<'PY' && ok "valid JSON, valid against the schema" || fail "invalid JSON"
import json, sys, jsonschema
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")  # strict: invalid bytes must have been replaced
d = json.loads(raw)
jsonschema.validate(d, json.load(open(sys.argv[2])))
PY
expect_eq "the 3 MB and 5 MB blobs counted by size only" 2 "$(jget "$TEST_TMP/h.json" 'd["totals"]["too_large"]')"
expect_eq "odd-named file counted with the others" 4 "$(jget "$TEST_TMP/h.json" '[l["files"] for l in d["languages"] if l["name"]=="Python"][0]')"
expect_eq "deep Go file counted" 1 "$(jget "$TEST_TMP/h.json" '[l["files"] for l in d["languages"] if l["name"]=="Go"][0]')"
expect_eq "binary .py left out" True "$(jget "$TEST_TMP/h.json" 'd["excluded"]["binary"]["files"] >= 1')"
expect_match "warning names the truncated pyproject" "pyproject.toml" "$TEST_TMP/h.json"
expect_eq "torch not taken from a binary requirements.txt" False "$(jget "$TEST_TMP/h.json" 'any(x["name"]=="torch" for x in d["dependencies"])')"

# the same report whatever the number of workers: chunks of the tree go
# to whichever worker is free, and findings and warnings come back in
# tree order (400 files, a broken manifest in every tenth folder)
w=$(new_repo workers)
for i in $(seq -w 1 400); do
	mkdir -p "$w/d$i"
	printf 'import asyncio\nasync def f():\n    await asyncio.sleep(1)\n' >"$w/d$i/a.py"
	case $i in
	*0) printf '[project\ndependencies = ["fastapi"' >"$w/d$i/pyproject.toml" ;;
	esac
done
# names where a folder sorts among files: tree order must be path order
for f in d100.py d100/z.py d100-x/a.py d1000.py d100_/a.py "d100/\xc3\xa9.py" d100.0/a.py; do
	mkdir -p "$(dirname "$w/$(printf "$f")")"
	printf 'import asyncio\nasync def g():\n    await asyncio.sleep(1)\n' >"$w/$(printf "$f")"
done
commit_all "$w" 2024-01-10T10:00:00Z "many files"
for j in 1 2 4; do
	"$PYORGO" scan "$w" --format json --no-history -j "$j" >"$TEST_TMP/j$j.json" 2>/dev/null
done
"$PYORGO" scan "$w" --format json --no-history --all-findings >"$TEST_TMP/all.json" 2>/dev/null
python3 - "$TEST_TMP/all.json" <<'PY' && ok "findings in byte order of their paths, then line" || fail "findings out of order"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
keys = [(x["path"].encode(), x["line"], x["column"]) for x in f]
assert len(f) > 400 and keys == sorted(keys), [k for k, n in zip(keys, keys[1:]) if k > n][:3]
PY
python3 - "$TEST_TMP"/j1.json "$TEST_TMP"/j2.json "$TEST_TMP"/j4.json <<'PY' && ok "-j 1, 2 and 4: the same report, warnings in tree order" || fail "-j changes the report"
import json, sys
ds = [json.load(open(p)) for p in sys.argv[1:]]
for d in ds:
    d.pop("timings_ms")
assert ds[0] == ds[1] == ds[2]
w = [x for x in ds[0]["warnings"] if "pyproject.toml" in x]
assert len(w) == 40 and w == sorted(w), w[:3]
PY

# a user rule that would backtrack forever stops at the match limit
mkdir -p "$TEST_TMP/rules"
cp "$SRC_DIR"/rules/*.json "$TEST_TMP/rules/"
python3 - "$TEST_TMP/rules/service.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["rules"].append({"id": "user.evil", "description": "catastrophic backtracking",
  "lang": "python", "scope": "raw", "signal": "user.evil", "weight": 0,
  "favours": "none", "regex": "^(b+)+$",
  "examples": {"match": ["bbb"], "nomatch": ["a"]}})
open(p, "w").write(json.dumps(d))
PY
printf 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb!\n' >"$r/evil.py"
commit_all "$r" 2024-01-11T10:00:00Z "evil input"
start=$(date +%s)
expect_rc "pathological user rule: scan finishes" 0 "$PYORGO" scan "$r" --format json --rules "$TEST_TMP/rules" --no-history
expect_eq "in seconds, not hours" 1 "$(( $(date +%s) - start < 60 ))"
expect_match "the match limit is a warning naming the file and rule" "evil.py.*user.evil|user.evil.*evil.py" "$TEST_TMP/out"
# under the default size limit the 5 MB line is read: its lines counted
# once for the figures and the detectors, and a warning names it
expect_match "the huge line is a warning naming the file" "oneline\.py: a line of 5000006 bytes" "$TEST_TMP/out"
expect_eq "its lines counted with the others (2 + 1 + 1 + 1 + 1)" 6 "$(jget "$TEST_TMP/out" '[l["lines"] for l in d["languages"] if l["name"]=="Python"][0]')"

# a .gitattributes pattern that backtracks exponentially on a long name
# (git itself hangs on it when it adds the file, so the commit is made with
# plumbing that applies no attributes)
g=$(new_repo backtrack)
name=$(printf 'a%.0s' $(seq 1 200)).py
b1=$(printf '*a*a*a*a*a*a*a*a*a*a*a*a*b linguist-vendored\n' | git -C "$g" hash-object -w --stdin)
b2=$(printf 'x = 1\n' | git -C "$g" hash-object -w --stdin)
tree=$(printf '100644 blob %s\t.gitattributes\n100644 blob %s\t%s\n' "$b1" "$b2" "$name" | git -C "$g" mktree)
c=$(GIT_AUTHOR_DATE=2024-01-10T10:00:00Z GIT_COMMITTER_DATE=2024-01-10T10:00:00Z git -C "$g" commit-tree "$tree" -m x)
git -C "$g" update-ref refs/heads/main "$c"
start=$(date +%s)
expect_rc "backtracking attribute pattern: scan finishes" 0 "$PYORGO" scan "$g" --format json
expect_eq "in seconds, not hours (git add would hang)" 1 "$(( $(date +%s) - start < 60 ))"
expect_eq "the long-named file is counted (the pattern gave up: no match)" 1 "$(jget "$TEST_TMP/out" '[l["files"] for l in d["languages"] if l["name"]=="Python"][0]')"
finish
