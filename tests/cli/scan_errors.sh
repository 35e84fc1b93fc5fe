#!/bin/bash
# Bad input: a clear one-line message on stderr, the documented exit code,
# and nothing (no partial JSON) on stdout.
. "$SRC_DIR/tests/cli/lib.bash"

# err_case NAME RC STDERR_REGEX ARGS...
err_case() {
	local name=$1 rc=$2 re=$3
	shift 3
	expect_rc "$name: exit $rc" "$rc" "$PYORGO" "$@"
	expect_match "$name: message" "^pyorgo: .*$re" "$TEST_TMP/err"
	expect_eq "$name: one line on stderr" 1 "$(wc -l <"$TEST_TMP/err")"
	expect_eq "$name: nothing on stdout" 0 "$(wc -c <"$TEST_TMP/out")"
}

mkdir -p "$TEST_TMP/plain"
err_case "not a repository" 3 "not a git repository" scan "$TEST_TMP/plain" --format json
err_case "no such path" 3 "cannot open" scan "$TEST_TMP/nope" --format json

r=$(new_repo good)
put "$r" a.py 'print(1)
'
commit_all "$r" 2024-01-10T10:00:00Z "first"
err_case "unknown revision" 3 "unknown revision 'nope'" scan "$r" --rev nope --format json
err_case "unknown format" 2 "unknown format" scan "$r" --format yaml
err_case "unknown option" 2 "unknown option" scan "$r" --frobnicate
err_case "bad number" 2 "expects a positive number" scan "$r" --target-rps lots
err_case "bad service" 2 "expects one of" scan "$r" --service teapot
err_case "bad date" 2 "expects a date" scan "$r" --since yesterday

e=$(new_repo empty)
err_case "empty repository" 3 "has no commits yet" scan "$e" --format json

# a corrupt object: the tree of HEAD replaced by garbage
c=$(new_repo corrupt)
put "$c" a.py 'print(1)
'
commit_all "$c" 2024-01-10T10:00:00Z "first"
tree=$(git -C "$c" rev-parse 'HEAD^{tree}')
obj="$c/.git/objects/${tree:0:2}/${tree:2}"
chmod u+w "$obj"
printf 'garbage' >"$obj"
err_case "corrupt tree" 3 "cannot" scan "$c" --format json --no-history

# broken rules: file:line:col and a distinct exit code
mkdir -p "$TEST_TMP/rules"
cp "$SRC_DIR"/rules/*.json "$TEST_TMP/rules/"
python3 - "$TEST_TMP/rules/languages.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["languages"][0]["name"] = 42
open(p, "w").write(json.dumps(d, indent=2))
PY
err_case "broken rule file" 4 "rules/languages.json:[0-9]+:[0-9]+: expected a string" scan "$r" --rules "$TEST_TMP/rules"
printf '{ "kind": "languages", "version": "1", ' >"$TEST_TMP/rules/languages.json"
err_case "invalid JSON rule file" 4 "languages.json:1:[0-9]+: invalid JSON" scan "$r" --rules "$TEST_TMP/rules"

# a repository owned by another user (root only: chown needs it)
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	o=$(new_repo foreign)
	put "$o" a.py 'print(1)
'
	commit_all "$o" 2024-01-10T10:00:00Z "first"
	chown -R nobody "$o"
	err_case "foreign owner" 3 "owned by another user.*--allow-foreign-owner" scan "$o" --format json
	expect_rc "foreign owner allowed" 0 "$PYORGO" scan "$o" --allow-foreign-owner --no-history --format json
else
	ok "foreign owner: skipped (needs root)"
fi
finish
