#!/bin/bash
# The history walk runs in two worker processes by default and in this
# process with -j1; both must give the same history, byte for byte, on a
# history with merges, an octopus, a mailmap, bots and a shallow clone.
. "$SRC_DIR/tests/cli/lib.bash"

bash "$SRC_DIR/tests/fixtures/make-history-basic.sh" "$TEST_TMP/basic" >/dev/null
# a longer line of commits so that both processes get batches to diff
r="$TEST_TMP/basic"
for i in $(seq 1 300); do
	printf 'x = %d\n' "$i" >"$r/gen_$((i % 7)).py"
	git -C "$r" add -A
	GIT_AUTHOR_NAME="Gen $((i % 5))" GIT_AUTHOR_EMAIL="gen$((i % 5))@example.com" \
	GIT_COMMITTER_NAME=Gen GIT_COMMITTER_EMAIL=gen@example.com \
	GIT_AUTHOR_DATE="2026-06-$((1 + i % 28))T10:00:00Z" \
	GIT_COMMITTER_DATE="2026-06-30T12:$((i % 60)):00Z" \
		git -C "$r" commit -q -m "gen $i"
done

hist() {
	python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["history"], sort_keys=True))' "$1"
}

expect_rc "scan, history in processes" 0 "$PYORGO" scan "$r" --format json --no-timings
cp "$TEST_TMP/out" "$TEST_TMP/proc.json"
expect_rc "scan -j1, history in this process" 0 "$PYORGO" scan "$r" --format json --no-timings -j1
cp "$TEST_TMP/out" "$TEST_TMP/inproc.json"
expect_eq "same history either way" "$(hist "$TEST_TMP/inproc.json")" "$(hist "$TEST_TMP/proc.json")"
expect_eq "every commit walked" "$(git -C "$r" rev-list --count HEAD)" "$(jget "$TEST_TMP/proc.json" 'd["history"]["commits"]')"
cmp -s "$TEST_TMP/proc.json" "$TEST_TMP/inproc.json" && ok "whole reports identical" || fail "reports differ between -j1 and the default"

git clone -q --depth 40 "file://$r" "$TEST_TMP/shallow"
expect_rc "shallow, processes" 0 "$PYORGO" scan "$TEST_TMP/shallow" --format json --no-timings
cp "$TEST_TMP/out" "$TEST_TMP/sp.json"
expect_rc "shallow, in process" 0 "$PYORGO" scan "$TEST_TMP/shallow" --format json --no-timings -j1
expect_eq "shallow: same history" "$(hist "$TEST_TMP/out")" "$(hist "$TEST_TMP/sp.json")"
expect_eq "shallow: 40 commits" 40 "$(jget "$TEST_TMP/sp.json" 'd["history"]["commits"]')"
finish
