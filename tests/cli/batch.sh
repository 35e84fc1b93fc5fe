#!/bin/bash
# pyorgo batch: many repositories, one record each in input order, a broken
# repository becomes an error record and the rest go on; shards split the
# list deterministically.
. "$SRC_DIR/tests/cli/lib.bash"

mkdir -p "$TEST_TMP/org"
for n in alpha beta gamma; do
	r=$(new_repo "org/$n")
	put "$r" main.py "print('$n')
"
	commit_all "$r" 2024-01-10T10:00:00Z "first"
done
git clone -q --bare "$TEST_TMP/org/alpha" "$TEST_TMP/org/delta.git"
mkdir -p "$TEST_TMP/org/broken/.git"           # looks like a repository, is not
git init -q "$TEST_TMP/org/empty"               # no commits
mkdir -p "$TEST_TMP/org/group/inner"            # two levels deep
r=$(new_repo "org/group/inner")
put "$r" main.go 'package main
'
commit_all "$r" 2024-01-10T10:00:00Z "first"

expect_rc "batch with failures exits 3" 3 "$PYORGO" batch "$TEST_TMP/org" -j 2 --no-history
cp "$TEST_TMP/out" "$TEST_TMP/all.jsonl"
expect_eq "one record per repository" 7 "$(wc -l <"$TEST_TMP/all.jsonl")"
python3 - "$TEST_TMP/all.jsonl" "$SRC_DIR/docs/schema/report.schema.json" <<'PY' && ok "records in input order, errors as records, all valid" || fail "batch records"
import json, sys, jsonschema
schema = json.load(open(sys.argv[2]))
recs = [json.loads(l) for l in open(sys.argv[1])]
paths = [r["repository"]["path"] for r in recs]
assert paths == sorted(paths), paths
errs = {p.rsplit("/", 1)[1]: r["error"]["message"] for p, r in zip(paths, recs) if "error" in r}
assert set(errs) == {"broken", "empty"}, errs
assert "no commits" in errs["empty"], errs
for r in recs:
    jsonschema.validate(r, schema)
ok = [r for r in recs if "error" not in r]
assert len(ok) == 5
PY
expect_match "summary on stderr" "7 repositories, 5 scanned, 2 failed" "$TEST_TMP/err"

printf '%s\n' "# a list file" "$TEST_TMP/org/alpha" "$TEST_TMP/org/beta" >"$TEST_TMP/list"
expect_rc "batch from a list" 0 "$PYORGO" batch "$TEST_TMP/list" --no-history -q
expect_eq "list: two records" 2 "$(wc -l <"$TEST_TMP/out")"
expect_rc "batch from stdin" 0 sh -c "printf '%s\n' '$TEST_TMP/org/gamma' | '$PYORGO' batch - --no-history -q"
expect_eq "stdin: one record" 1 "$(wc -l <"$TEST_TMP/out")"

for k in 1 2 3; do
	"$PYORGO" batch "$TEST_TMP/org" --shard "$k/3" --no-history -q >"$TEST_TMP/shard$k" 2>/dev/null
done
cat "$TEST_TMP"/shard[123] | python3 -c 'import json,sys; print(sorted(json.loads(l)["repository"]["path"] for l in sys.stdin))' >"$TEST_TMP/union"
python3 -c 'import json,sys; print(sorted(json.loads(l)["repository"]["path"] for l in open(sys.argv[1])))' "$TEST_TMP/all.jsonl" >"$TEST_TMP/whole"
expect_eq "shards 1..3 cover the batch exactly once" "$(cat "$TEST_TMP/whole")" "$(cat "$TEST_TMP/union")"
expect_rc "bad shard" 2 "$PYORGO" batch "$TEST_TMP/org" --shard 4/3
expect_rc "missing root" 2 "$PYORGO" batch "$TEST_TMP/nowhere"

# merge: the shards combine into the same organisation picture
expect_rc "merge shards" 0 "$PYORGO" merge "$TEST_TMP"/shard1 "$TEST_TMP"/shard2 "$TEST_TMP"/shard3 --format json
cp "$TEST_TMP/out" "$TEST_TMP/org.json"
expect_rc "merge the whole batch" 0 "$PYORGO" merge "$TEST_TMP/all.jsonl" --format json
expect_eq "merged shards equal the merged batch" "$(jget "$TEST_TMP/out" 'd["repos"]')" "$(jget "$TEST_TMP/org.json" 'd["repos"]')"
expect_eq "org: 7 repositories" 7 "$(jget "$TEST_TMP/org.json" 'd["repositories"]')"
expect_eq "org: each scanned repository has a verdict and its top reason" True "$(jget "$TEST_TMP/org.json" 'all(r["choice"] and r["top_reason"] for r in d["repos"] if not r["error"])')"
expect_eq "org: 2 failed" 2 "$(jget "$TEST_TMP/org.json" 'd["failed"]')"
expect_eq "org: Python in 4 repositories" 4 "$(jget "$TEST_TMP/org.json" '[l["repositories"] for l in d["languages"] if l["name"]=="Python"][0]')"
expect_rc "merge reads stdin" 0 sh -c "cat '$TEST_TMP/all.jsonl' | '$PYORGO' merge"
expect_match "text summary" "^7 repositories" "$TEST_TMP/out"
printf 'not json\n' >"$TEST_TMP/bad.jsonl"
expect_rc "merge refuses a bad record" 2 "$PYORGO" merge "$TEST_TMP/bad.jsonl"
expect_match "names file and line" "bad.jsonl:1: not a pyorgo JSON record" "$TEST_TMP/err"
finish
