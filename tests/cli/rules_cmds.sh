#!/bin/bash
# pyorgo rules list | rules test [DIR] | explain RULE_ID: what a rule
# author sees, on the shipped rules and on a folder of edited copies.
. "$SRC_DIR/tests/cli/lib.bash"

expect_rc "rules list" 0 "$PYORGO" rules list
expect_match "list: id and category" "^framework\.falcon\.app[[:space:]].*framework" "$TEST_TMP/out"
expect_match "list: Go rules too" "^concurrency\.go\.[a-z_]+ +concurrency" "$TEST_TMP/out"

expect_rc "explain a rule" 0 "$PYORGO" explain framework.falcon.app
expect_match "explain: its regex" "^regex +.*falcon" "$TEST_TMP/out"
# no "keyword" written: the regex's own literals are its keywords, here
# the ones every match starts with (it is tried only where they are)
expect_match "explain: keywords from the regex" \
	"^keyword +falcon\.(asgi\.)?(App|API).*\(from the regex; every match starts with one\)$" "$TEST_TMP/out"
expect_rc "explain a rule whose literals are only inside" 0 "$PYORGO" explain concurrency.proto.streaming_rpc
expect_match "explain: literals a match holds" "^keyword +.*\(from the regex\)$" "$TEST_TMP/out"
expect_rc "explain a rule with written keywords" 0 "$PYORGO" explain framework.tornado.app
expect_match "explain: written keywords as written" "^keyword +RequestHandler\|tornado$" "$TEST_TMP/out"
# written "http." is refined by the regex's longer literals, each holding it
expect_rc "explain a rule with refined keywords" 0 "$PYORGO" explain framework.go.net_http.app
expect_match "explain: written keyword kept" "^keyword +http\.$" "$TEST_TMP/out"
expect_match "explain: what is searched" \
	"^searched +http\.ListenAndServe\|.*\(from the regex; every match starts with one\)$" "$TEST_TMP/out"
expect_rc "explain an unknown rule" 2 "$PYORGO" explain no.such.rule
expect_match "unknown rule: says which" "^pyorgo: .*no\.such\.rule" "$TEST_TMP/err"

expect_rc "rules test: shipped rules" 0 "$PYORGO" rules test "$SRC_DIR/rules"

# a rule whose example no longer matches: the test names it and fails
mkdir -p "$TEST_TMP/rules"
cp "$SRC_DIR"/rules/*.json "$TEST_TMP/rules/"
python3 - "$TEST_TMP/rules/frameworks.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for r in d["rules"]:
    if r["id"] == "framework.falcon.app":
        r["examples"]["match"].append("app = falcon.Application()")
json.dump(d, open(p, "w"), indent=1)
PY
expect_rc "rules test: a failing example (a broken rule file: 4)" 4 "$PYORGO" rules test "$TEST_TMP/rules"
expect_match "failing example named" "framework\.falcon\.app" "$TEST_TMP/out"

finish
