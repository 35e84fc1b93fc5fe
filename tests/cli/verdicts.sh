#!/bin/bash
# End-to-end verdicts on the detectors' fixture repositories, declared
# needs and .pyorgo.json, what would change the call, capacity and cost,
# and the Markdown report.
. "$SRC_DIR/tests/cli/lib.bash"

mk() { bash "$SRC_DIR/tests/fixtures/make-detect-repos.sh" "$TEST_TMP/$1" "$1" >/dev/null; }
scan() { # scan NAME ARGS...: JSON report in $TEST_TMP/NAME.json
	local name=$1
	shift
	"$PYORGO" scan "$TEST_TMP/$name" --format json --no-timings "$@" >"$TEST_TMP/$name.json" 2>"$TEST_TMP/$name.err"
}
v() { jget "$TEST_TMP/$1.json" "$2"; }

for k in fastapi-torch go-gateway django-crud openai-sdk monorepo; do mk "$k"; done

scan fastapi-torch
expect_eq "fastapi+torch: python" python "$(v fastapi-torch 'd["verdict"]["choice"]')"
expect_eq "fastapi+torch: native ML is a hard constraint" ml.native "$(v fastapi-torch 'd["verdict"]["hard_constraints"][0]["factor"]')"
expect_eq "fastapi+torch: the hard constraint cites the article" True "$(v fastapi-torch '"Python is non-negotiable" in d["verdict"]["hard_constraints"][0]["cite"]')"
expect_eq "fastapi+torch: evidence with file:line" True "$(v fastapi-torch 'all(e["path"] and e["line"] > 0 for e in d["verdict"]["hard_constraints"][0]["evidence"])')"
expect_eq "fastapi+torch: the flip removes torch" True "$(v fastapi-torch 'any("torch" in f["change"] for f in d["verdict"]["what_would_change"])')"

scan go-gateway
expect_eq "go gateway: go" go "$(v go-gateway 'd["verdict"]["choice"]')"
expect_eq "go gateway: proxy/gateway is the top reason" kind.proxy_gateway "$(v go-gateway 'd["verdict"]["reasons"][0]["factor"]')"

scan django-crud
expect_eq "django crud: python" python "$(v django-crud 'd["verdict"]["choice"]')"
expect_eq "django crud: no hard constraint" 0 "$(v django-crud 'len(d["verdict"]["hard_constraints"])')"
expect_eq "django crud: the database-latency caveat" True "$(v django-crud 'any(n["factor"]=="crud.db_latency" for n in d["verdict"]["notes"])')"

scan openai-sdk
expect_eq "openai sdk: not a hard constraint" 0 "$(v openai-sdk 'len(d["verdict"]["hard_constraints"])')"
expect_eq "openai sdk: said to be no constraint" True "$(v openai-sdk 'any(r["factor"]=="ml.sdk_only" for r in d["verdict"]["reasons"] + d["verdict"]["notes"])')"
scan openai-sdk --service gateway --target-rps 200000 --p99-ms 10
expect_eq "openai sdk as a declared gateway at 200k rps, p99 10 ms: go" go "$(v openai-sdk 'd["verdict"]["choice"]')"
expect_eq "declared values listed as overrides from flags" True "$(v openai-sdk 'all(o["source"]=="flag" for o in d["verdict"]["overrides"]) and len(d["verdict"]["overrides"]) >= 3')"

scan monorepo
expect_eq "monorepo: torch in a service keeps python" python "$(v monorepo 'd["verdict"]["choice"]')"

# capacity and cost for a target rate, with both of the article's ranges
scan django-crud --target-rps 400000 --price-per-server 50
cap='d["verdict"]["capacity"]'
expect_eq "capacity for the target rate" 400000 "$(v django-crud "int($cap[\"target_rps\"])")"
expect_eq "rows for python and go, with both article ranges" True "$(v django-crud "len([r for r in $cap[\"rows\"] if r[\"language\"]==\"python\"]) >= 2 and len([r for r in $cap[\"rows\"] if r[\"language\"]==\"go\"]) >= 2")"
expect_eq "each row cites the article" True "$(v django-crud "all(r[\"cite\"] for r in $cap[\"rows\"])")"
expect_eq "python needs more servers than go" True "$(v django-crud "max(r[\"servers\"][\"max\"] for r in $cap[\"rows\"] if r[\"language\"]==\"python\") > max(r[\"servers\"][\"max\"] for r in $cap[\"rows\"] if r[\"language\"]==\"go\")")"
expect_eq "cost is servers x price" True "$(v django-crud "all(abs(r[\"monthly_cost_usd\"][\"max\"] - r[\"servers\"][\"max\"] * 50) < 1e-6 for r in $cap[\"rows\"])")"
scan django-crud
expect_eq "no capacity without a target rate" None "$(v django-crud "$cap")"

# .pyorgo.json: the file declares, flags win, both shown
printf '{"service": "gateway", "target_rps": 150000, "team_size": 3}\n' >"$TEST_TMP/django-crud/.pyorgo.json"
git -C "$TEST_TMP/django-crud" add .pyorgo.json
GIT_AUTHOR_DATE=2024-06-01T10:00:00Z GIT_COMMITTER_DATE=2024-06-01T10:00:00Z \
	git -C "$TEST_TMP/django-crud" -c user.name=T -c user.email=t@example.com commit -q -m config
scan django-crud --target-rps 1000
expect_eq "config service applied" True "$(v django-crud 'any(o["name"]=="declared.service.gateway" and o["source"]=="config" for o in d["verdict"]["overrides"])')"
expect_eq "the flag wins over the file" True "$(v django-crud 'any(o["name"]=="declared.target_rps" and o["value"]==1000 and o["source"]=="flag" for o in d["verdict"]["overrides"])')"
scan django-crud --no-config
expect_eq "--no-config ignores the file" 0 "$(v django-crud 'len(d["verdict"]["overrides"])')"
printf '{"target_rps": "lots"}\n' >"$TEST_TMP/bad.json"
expect_rc "an invalid config value: exit 2" 2 "$PYORGO" scan "$TEST_TMP/django-crud" --config "$TEST_TMP/bad.json"
expect_match "names the file, position and key" "bad.json:1:[0-9]+: target_rps" "$TEST_TMP/err"

# Markdown for a pull request or a job summary
expect_rc "markdown report" 0 "$PYORGO" scan "$TEST_TMP/fastapi-torch" --format markdown --no-history
expect_match "markdown opens with the recommendation" "Python \\(FastAPI\\)" "$TEST_TMP/out"
finish
