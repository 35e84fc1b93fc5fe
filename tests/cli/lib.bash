# Sourced by tests/cli/*.sh (ctest globs *.sh, so this .bash file is not a
# test itself). Provides fixture helpers with fixed dates and assertions
# that print what differed.
set -u
: "${PYORGO:?set PYORGO to the pyorgo binary}"
: "${SRC_DIR:?set SRC_DIR to the source tree}"
TEST_TMP=${TEST_TMP:-$(mktemp -d)}
rm -rf "$TEST_TMP"
mkdir -p "$TEST_TMP"
cd "$TEST_TMP" || exit 1

export GIT_CONFIG_NOSYSTEM=1 HOME="$TEST_TMP/home" NO_COLOR=1 LC_ALL=C
# the tests run inside pyorgo's own clone: never find it from a fixture
export GIT_CEILING_DIRECTORIES=$(dirname "$TEST_TMP")
mkdir -p "$HOME"
git config --global user.name "Test Author"
git config --global user.email "test@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always

FAILED=0
PASSED=0

# git with a fixed date: gitd DATE args... (DATE like 2024-01-15T10:00:00Z)
gitd() {
	local d=$1
	shift
	GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" git "$@"
}

# commit_all REPO DATE MESSAGE [AUTHOR_NAME AUTHOR_EMAIL]
commit_all() {
	local repo=$1 d=$2 msg=$3 name=${4:-Test Author} email=${5:-test@example.com}
	git -C "$repo" add -A
	GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" \
		GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" \
		GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" \
		git -C "$repo" commit -q --allow-empty -m "$msg"
}

# new_repo NAME: an empty repository in $TEST_TMP/NAME
new_repo() {
	rm -rf "$TEST_TMP/$1"
	git init -q "$TEST_TMP/$1"
	echo "$TEST_TMP/$1"
}

# put REPO PATH CONTENT: writes a file (creating folders)
put() {
	mkdir -p "$(dirname "$1/$2")"
	printf '%s' "$3" >"$1/$2"
}

ok() {
	PASSED=$((PASSED + 1))
	echo "ok - $1"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL - $1" >&2
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		fail "$1: expected [$2], got [$3]"
	fi
}

# expect_rc WHAT EXPECTED_RC CMD...
expect_rc() {
	local what=$1 want=$2 rc
	shift 2
	"$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$what"; else
		fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$TEST_TMP/err")"
	fi
}

# expect_match WHAT REGEX FILE
expect_match() {
	if grep -Eq -- "$2" "$3"; then ok "$1"; else
		fail "$1: /$2/ not in $3: $(head -c 600 "$3")"
	fi
}

expect_no_match() {
	if grep -Eq -- "$2" "$3"; then
		fail "$1: /$2/ unexpectedly in $3"
	else ok "$1"; fi
}

# jq-free JSON queries through python3: jget FILE EXPR (EXPR uses `d`)
jget() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
	exit $?
}
