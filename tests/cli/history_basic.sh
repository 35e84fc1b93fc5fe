#!/bin/bash
# History: mailmap, bots, merges (octopus too), an empty author name, a
# future date, time zones at the 90-day edge, quarters, windows, trend,
# bus factor; then a shallow clone, a missing object, --max-commits and
# --first-parent. Fixture and hand-computed numbers:
# tests/fixtures/make-history-basic.sh, docs/history.md.
. "$SRC_DIR/tests/cli/lib.bash"

bash "$SRC_DIR/tests/fixtures/make-history-basic.sh" "$TEST_TMP/basic"
H="$TEST_TMP/h.json"
expect_rc "scan basic" 0 "$PYORGO" scan --format json "$TEST_TMP/basic"
cp "$TEST_TMP/out" "$H"
h() { jget "$H" "d['history']$1"; }
lang() { jget "$H" "[l for l in d['history']['languages'] if l['name']=='$1'][0]$2"; }
who() { jget "$H" "[a for a in d['history']['contributors'] if a['key']=='$1'][0]$2"; }

expect_eq "commits" 15 "$(h "['commits']")"
expect_eq "merges (one octopus)" 2 "$(h "['merges']")"
expect_eq "attributed" 13 "$(h "['attributed']")"
expect_eq "bot commits" 1 "$(h "['bot_commits']")"
expect_eq "authors (humans)" 6 "$(h "['authors']")"
expect_eq "bots" 1 "$(h "['bots']")"
expect_eq "not shallow" False "$(h "['is_shallow']")"
expect_eq "mailmap entries" 2 "$(h "['mailmap']['entries']")"
expect_eq "alice merged by mailmap (any case)" "Alice 3" \
	"$(who alice@example.com "['name']") $(who alice@example.com "['commits']")"
expect_eq "carol by name+email line" "Carol New 2" \
	"$(who carol@new.example "['name']") $(who carol@new.example "['commits']")"
expect_eq "empty author name kept" "['', 1]" \
	"$(jget "$H" "[[a['name'],a['commits']] for a in d['history']['contributors'] if a['key']=='eve@example.com'][0]")"
expect_eq "bot listed apart" True \
	"$(who '49699333+dependabot[bot]@users.noreply.github.com' "['is_bot']")"
expect_eq "bob languages" "[('Go', 4), ('Python', 1)]" \
	"$(jget "$H" "[(l['name'],l['commits']) for l in [a for a in d['history']['contributors'] if a['key']=='bob@example.com'][0]['languages']]")"
expect_eq "bob last active (future date)" 1798761600 \
	"$(who bob@example.com "['last_time']")"
expect_eq "python commits authors touches bus" "5 3 5 1" \
	"$(lang Python "['commits']") $(lang Python "['authors']") $(lang Python "['touches']") $(lang Python "['bus_factor']")"
expect_eq "go commits authors touches bus" "7 3 8 1" \
	"$(lang Go "['commits']") $(lang Go "['authors']") $(lang Go "['touches']") $(lang Go "['bus_factor']")"
expect_eq "go quarters" \
	"[('2024-Q2', 1, 1, 1), ('2025-Q3', 1, 1, 1), ('2025-Q4', 1, 1, 2), ('2026-Q1', 2, 2, 2), ('2026-Q2', 1, 1, 1), ('2027-Q1', 1, 1, 1)]" \
	"$(lang Go "['quarters']" >/dev/null; jget "$H" "[(q['quarter'],q['commits'],q['authors'],q['touches']) for q in [l for l in d['history']['languages'] if l['name']=='Go'][0]['quarters']]")"
expect_eq "active 90d: total py go both neither" "1 0 0 1 0" \
	"$(jget "$H" "' '.join(str(d['history']['active']['90d'][k]) for k in ('active','python_only','go_only','both','neither'))")"
expect_eq "active 12m: total py go both neither" "6 2 2 1 1" \
	"$(jget "$H" "' '.join(str(d['history']['active']['12m'][k]) for k in ('active','python_only','go_only','both','neither'))")"
expect_eq "trend python" "33.3 -15.77 falling" \
	"$(jget "$H" "' '.join(str(d['history']['trend']['python'][k]) for k in ('share','slope','direction'))")"
expect_eq "trend go" "66.7 15.77 rising" \
	"$(jget "$H" "' '.join(str(d['history']['trend']['go'][k]) for k in ('share','slope','direction'))")"
expect_eq "trend window" "2024-Q3 2026-Q2 5" \
	"$(jget "$H" "' '.join([d['history']['trend']['quarters'][0]['quarter'], d['history']['trend']['quarters'][7]['quarter'], str(d['history']['trend']['quarters_with_data'])])")"
expect_eq "signal team.python_active_12m" 3.0 \
	"$(jget "$H" "[s['value'] for s in d['signals'] if s['name']=='team.python_active_12m'][0]")"

# the text section fits 80 columns (the History section, to the next one)
expect_rc "scan text" 0 "$PYORGO" scan "$TEST_TMP/basic"
expect_match "text history section" '^History' "$TEST_TMP/out"
expect_eq "80 columns" 0 "$(awk '/^History/ { s = 1; next } s && /^[^ ]/ { s = 0 }
	s && length($0) > 80' "$TEST_TMP/out" | wc -l)"
expect_match "text: active team line" '^    last 12 months +6 +2 +2 +1 +1$' "$TEST_TMP/out"

# bounds
expect_rc "max-commits" 0 "$PYORGO" scan --format json --max-commits 5 "$TEST_TMP/basic"
expect_eq "max-commits: 5, truncated, 1 merge" "5 True 1" \
	"$(jget "$TEST_TMP/out" "' '.join(str(d['history'][k]) for k in ('commits','truncated','merges'))")"
expect_rc "first-parent" 0 "$PYORGO" scan --format json --first-parent "$TEST_TMP/basic"
expect_eq "first-parent: 12 commits, merges attributed" "12 2 12" \
	"$(jget "$TEST_TMP/out" "' '.join(str(d['history'][k]) for k in ('commits','merges','attributed'))")"
expect_rc "no-history" 0 "$PYORGO" scan --format json --no-history "$TEST_TMP/basic"
expect_eq "no-history: null" None "$(jget "$TEST_TMP/out" "d['history']")"

# a shallow clone stops at its boundary (c9, c8, then the octopus)
git clone -q --depth 3 "file://$TEST_TMP/basic" "$TEST_TMP/shallow"
expect_rc "scan shallow" 0 "$PYORGO" scan --format json "$TEST_TMP/shallow"
expect_eq "shallow: commits boundary attributed authors" "3 1 2 2 True" \
	"$(jget "$TEST_TMP/out" "' '.join(str(d['history'][k]) for k in ('commits','boundary_commits','attributed','authors','is_shallow'))")"

# a missing tree (c4's): c4 and both its children cannot be diffed
cp -r "$TEST_TMP/basic" "$TEST_TMP/damaged"
tree=$(git -C "$TEST_TMP/damaged" log --format=%T --grep='^c4$')
rm -f "$TEST_TMP/damaged/.git/objects/${tree:0:2}/${tree:2}"
expect_rc "scan damaged" 0 "$PYORGO" scan --format json "$TEST_TMP/damaged"
expect_eq "damaged: commits missing unattributed attributed" "15 3 3 10" \
	"$(jget "$TEST_TMP/out" "' '.join(str(d['history'][k]) for k in ('commits','missing_objects','unattributed','attributed'))")"
expect_match "damaged: warned" 'objects missing' "$TEST_TMP/out"

# the same tree damaged inside a pack: the pack reader reports it missing
# (libgit2 1.5 can crash on a damaged pack entry), the walk goes on
git clone -q --bare "file://$TEST_TMP/basic" "$TEST_TMP/packdamaged.git"
git -C "$TEST_TMP/packdamaged.git" repack -q -a -d -f --depth=0
pack=$(ls "$TEST_TMP"/packdamaged.git/objects/pack/*.pack)
off=$(git -C "$TEST_TMP/packdamaged.git" verify-pack -v "${pack%.pack}.idx" |
	awk -v t="$tree" '$1 == t { print $5 }')
chmod u+w "$pack"
printf 'garbage!' | dd of="$pack" bs=1 seek=$((off + 6)) conv=notrunc status=none
expect_rc "scan packdamaged" 0 "$PYORGO" scan --format json "$TEST_TMP/packdamaged.git"
expect_eq "packdamaged: commits missing unattributed attributed" "15 3 3 10" \
	"$(jget "$TEST_TMP/out" "' '.join(str(d['history'][k]) for k in ('commits','missing_objects','unattributed','attributed'))")"
finish
