#!/bin/bash
# Detectors end to end: fixture repositories with decoys through the real
# binary; exact pattern/import findings, manifest mapping and signals.
. "$SRC_DIR/tests/cli/lib.bash"

# findings REPORT: "path:line:col rule_id where" for detector categories,
# import and pattern findings only, sorted.
findings() {
	python3 - "$1" <<'X'
import json, sys
d = json.load(open(sys.argv[1]))
rows = sorted("%s:%s:%s %s %s" % (f["path"], f["line"], f["column"], f["rule_id"], f["where"])
              for f in d.get("findings", [])
              if f.get("category") in ("ml", "framework", "concurrency", "service")
              and f.get("where") in ("import", "pattern"))
print("\n".join(rows))
X
}

# signal REPORT NAME: its value, or "none"
signal() {
	python3 - "$1" "$2" <<'X'
import json, sys
d = json.load(open(sys.argv[1]))
v = [s["value"] for s in d.get("signals", []) if s["name"] == sys.argv[2]]
print("%g" % v[0] if v else "none")
X
}

# has_manifest REPORT RULE PATH: 1 when RULE was found in manifest PATH
has_manifest() {
	python3 - "$1" "$2" "$3" <<'X'
import json, sys
d = json.load(open(sys.argv[1]))
print(int(any(f["rule_id"] == sys.argv[2] and f["where"] == "manifest" and f["path"] == sys.argv[3]
              for f in d.get("findings", []))))
X
}

scan() { # scan KIND: builds the fixture, writes $TEST_TMP/KIND.json
	bash "$SRC_DIR/tests/fixtures/make-detect-repos.sh" "$TEST_TMP/$1" "$1"
	"$PYORGO" scan --format json --no-history "$TEST_TMP/$1" >"$TEST_TMP/$1.json" 2>"$TEST_TMP/$1.err"
	expect_eq "$1: scan exit status" 0 $?
}

F_APP='app/main.py:10:1 framework.fastapi import
app/main.py:11:1 framework.fastapi import
app/main.py:12:1 ml.transformers import
app/main.py:16:7 framework.fastapi.app pattern
app/main.py:17:19 ml.model_load pattern
app/main.py:20:1 framework.route_decorator.app pattern
app/main.py:21:1 concurrency.py.async_def pattern
app/main.py:22:12 concurrency.py.await pattern
app/main.py:22:18 concurrency.py.gather pattern
app/main.py:26:1 framework.route_decorator.app pattern
app/main.py:27:1 concurrency.py.async_def pattern
app/main.py:28:12 concurrency.py.streaming_response pattern
app/main.py:28:52 concurrency.py.sse_mime pattern
app/main.py:9:1 ml.torch import'

F_GW() { # F_GW PREFIX
	local p=$1
	printf '%s\n' \
		"${p}cmd/gw/main.go:12:2 concurrency.go.x_sync_import import" \
		"${p}cmd/gw/main.go:21:12 concurrency.go.errgroup pattern" \
		"${p}cmd/gw/main.go:24:3 concurrency.go.errgroup pattern" \
		"${p}cmd/gw/main.go:31:11 service.go.reverse_proxy pattern" \
		"${p}cmd/gw/main.go:32:10 concurrency.go.make_chan pattern" \
		"${p}cmd/gw/main.go:32:15 concurrency.go.chan_type pattern" \
		"${p}cmd/gw/main.go:33:2 concurrency.go.go_stmt pattern" \
		"${p}cmd/gw/main.go:36:2 framework.go.net_http.app pattern" \
		"${p}cmd/gw/main.go:8:2 framework.go.nethttp import" \
		"${p}cmd/gw/main.go:9:2 framework.go.nethttp import"
}

# 1. FastAPI + torch/transformers service
scan fastapi-torch
expect_eq "fastapi-torch: findings" "$F_APP
tests/test_main.py:1:1 ml.torch import" "$(findings "$TEST_TMP/fastapi-torch.json")"
expect_eq "fastapi-torch: torch from requirements.txt" 1 \
	"$(has_manifest "$TEST_TMP/fastapi-torch.json" ml.torch requirements.txt)"
expect_eq "fastapi-torch: native ML gate" 2 "$(signal "$TEST_TMP/fastapi-torch.json" ml.native.gate)"
expect_eq "fastapi-torch: torch in tests counts apart" 1 \
	"$(signal "$TEST_TMP/fastapi-torch.json" ml.native.nonservice)"
expect_eq "fastapi-torch: streaming" 1 "$(signal "$TEST_TMP/fastapi-torch.json" concurrency.streaming.service)"

# 2. Go API gateway with goroutines and httputil.ReverseProxy
scan go-gateway
expect_eq "go-gateway: findings" "$(F_GW "" | sort)" "$(findings "$TEST_TMP/go-gateway.json")"
expect_eq "go-gateway: proxy signal" 1 "$(signal "$TEST_TMP/go-gateway.json" service.proxy.service)"
expect_eq "go-gateway: goroutines" 1 "$(signal "$TEST_TMP/go-gateway.json" concurrency.goroutine.service)"
expect_eq "go-gateway: no ML" none "$(signal "$TEST_TMP/go-gateway.json" ml.native)"

# 3. Django CRUD app
scan django-crud
expect_eq "django-crud: findings" "shop/models.py:1:1 framework.django import
shop/models.py:4:1 service.py.orm_models pattern
shop/urls.py:1:1 framework.django import
shop/urls.py:5:1 framework.django.app pattern
shop/views.py:1:1 framework.django import" "$(findings "$TEST_TMP/django-crud.json")"
expect_eq "django-crud: crud signal" 1 "$(signal "$TEST_TMP/django-crud.json" service.crud)"
expect_eq "django-crud: no threads from the comment" none \
	"$(signal "$TEST_TMP/django-crud.json" concurrency.threads)"

# 4. openai-SDK-only service: no native ML gate
scan openai-sdk
expect_eq "openai-sdk: findings" "assistant/api.py:11:1 framework.route_decorator.app pattern
assistant/api.py:12:1 concurrency.py.async_def pattern
assistant/api.py:13:9 concurrency.py.await pattern
assistant/api.py:1:1 framework.fastapi import
assistant/api.py:2:1 ml.openai import
assistant/api.py:4:7 framework.fastapi.app pattern
assistant/api.py:5:10 concurrency.py.async_http_client pattern" "$(findings "$TEST_TMP/openai-sdk.json")"
expect_eq "openai-sdk: no gate" none "$(signal "$TEST_TMP/openai-sdk.json" ml.native.gate)"
expect_eq "openai-sdk: sdk signal (api.py and pyproject.toml)" 2 "$(signal "$TEST_TMP/openai-sdk.json" ml.sdk.service)"

# 5. Mixed monorepo
scan monorepo
expect_eq "monorepo: findings" "$( (echo "$F_APP"; F_GW services/gw/
	printf '%s\n' \
		"notebooks/explore.py:1:1 ml.pandas import" \
		"notebooks/explore.py:2:1 ml.sklearn import" \
		"proto/chat.proto:4:3 concurrency.proto.streaming_rpc pattern" \
		"services/worker/tasks.py:1:1 service.celery import" \
		"services/worker/tasks.py:1:1 service.py.celery pattern" \
		"services/worker/tasks.py:3:7 service.py.celery pattern" \
		"tests/test_main.py:1:1 ml.torch import") | sort)" \
	"$(findings "$TEST_TMP/monorepo.json")"
expect_eq "monorepo: sklearn only in research" 1 \
	"$(signal "$TEST_TMP/monorepo.json" ml.native.training_only)"
expect_eq "monorepo: worker" 1 "$(signal "$TEST_TMP/monorepo.json" service.worker.service)"

# "@app.task" counts only where celery is a declared dependency (Prefect,
# Invoke, Airflow use @task too): absent above, present once declared
cp -r "$TEST_TMP/monorepo" "$TEST_TMP/monorepo-celery"
(cd "$TEST_TMP/monorepo-celery" && printf 'celery[redis]>=5.3\n' >services/worker/requirements.txt &&
	git add -A && GIT_COMMITTER_DATE=2024-03-01T00:00:00Z GIT_AUTHOR_DATE=2024-03-01T00:00:00Z \
		git -c user.name=t -c user.email=t@example.com commit -q -m celery)
"$PYORGO" scan --format json --no-history "$TEST_TMP/monorepo-celery" >"$TEST_TMP/monorepo-celery.json" 2>/dev/null
expect_eq "celery declared: the decorator counts" \
	"services/worker/tasks.py:6:1 service.py.celery_task pattern" \
	"$(findings "$TEST_TMP/monorepo-celery.json" | grep celery_task)"
expect_eq "celery not declared: no decorator finding" "" \
	"$(findings "$TEST_TMP/monorepo.json" | grep celery_task)"

# 6. The cap: with one finding listed per rule, the workers keep the rest
# with borrowed strings; summaries, signals and the verdict are those of
# the uncapped scan, and at most one finding of each rule is listed (plus
# evidence).
"$PYORGO" scan --format json --no-history --max-findings 1 "$TEST_TMP/monorepo" \
	>"$TEST_TMP/cap1.json" 2>/dev/null
expect_eq "cap 1: exit status" 0 $?
"$PYORGO" scan --format json --no-history --all-findings "$TEST_TMP/monorepo" \
	>"$TEST_TMP/capall.json" 2>/dev/null
expect_eq "cap 1: same summaries as uncapped" "same" "$(python3 - "$TEST_TMP/cap1.json" "$TEST_TMP/capall.json" <<'X'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def strip(v):  # finding indices differ between the two lists
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in ("finding", "findings")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
diff = [k for k in ("categories", "signals", "verdict", "findings_total", "dependencies")
        if strip(a[k]) != strip(b[k])]
print("same" if not diff else "differ: %s" % diff)
X
)"
expect_eq "cap 1: fewer listed" 1 "$(python3 - "$TEST_TMP/cap1.json" "$TEST_TMP/capall.json" <<'X'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print(int(len(a["findings"]) < len(b["findings"]) and a["findings_omitted"] > 0
          and all(f["snippet"] for f in a["findings"])))
X
)"

finish
