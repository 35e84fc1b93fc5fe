#!/bin/bash
# Missing objects (a damaged repository, a partial clone): counted and
# listed, a warning, the scan goes on and exits 0.
. "$SRC_DIR/tests/cli/lib.bash"

r=$(new_repo damaged)
put "$r" a.py 'print(1)
'
put "$r" b.go 'package x
'
commit_all "$r" 2024-01-10T10:00:00Z "first"
obj=$(git -C "$r" rev-parse HEAD:b.go)
rm -f "$r/.git/objects/${obj:0:2}/${obj:2}"
expect_rc "damaged: scan goes on" 0 "$PYORGO" scan "$r" --format json --no-timings
cp "$TEST_TMP/out" "$TEST_TMP/d.json"
expect_eq "damaged: one missing object" 1 "$(jget "$TEST_TMP/d.json" 'd["missing_objects"]["count"]')"
expect_eq "damaged: its path listed" b.go "$(jget "$TEST_TMP/d.json" 'd["missing_objects"]["paths"][0]')"
expect_eq "damaged: a warning says so" True "$(jget "$TEST_TMP/d.json" 'any("missing" in w for w in d["warnings"])')"
expect_eq "damaged: the rest is counted" Python "$(jget "$TEST_TMP/d.json" '",".join(l["name"] for l in d["languages"])')"
expect_rc "damaged: text report" 0 "$PYORGO" scan "$r" --no-history
expect_match "damaged: text names the missing objects" "Missing objects: 1" "$TEST_TMP/out"

s=$(new_repo partial-src)
put "$s" a.py 'print(1)
'
head -c 6000 /dev/zero | tr '\0' 'x' | sed 's/^/x = "/; s/$/"/' >"$s/big.py"
commit_all "$s" 2024-01-10T10:00:00Z "first"
git -C "$s" config uploadpack.allowfilter true
if git clone -q --filter=blob:limit=1k --no-checkout "file://$s" "$TEST_TMP/partial" 2>/dev/null; then
	# libgit2 leaks while opening a partial clone (tests/lsan.supp)
	export LSAN_OPTIONS="suppressions=$SRC_DIR/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	expect_rc "partial clone: scan goes on" 0 "$PYORGO" scan "$TEST_TMP/partial" --format json --no-timings
	expect_eq "partial clone: the filtered blob is missing" big.py "$(jget "$TEST_TMP/out" '",".join(d["missing_objects"]["paths"])')"
	expect_eq "partial clone: history still walked" 1 "$(jget "$TEST_TMP/out" 'd["history"]["commits"]')"
else
	ok "partial clone: skipped (git cannot make one here)"
fi
finish
