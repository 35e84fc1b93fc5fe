#!/bin/bash
# --staged on a bare repository is a usage error (no index: every file
# would look deleted), not a 30-second scan of every blob.
. "$SRC_DIR/tests/cli/lib.bash"

r=$(new_repo wt)
put "$r" app.py 'print(1)
'
commit_all "$r" 2024-01-10T10:00:00Z "first"
git clone -q --bare "$r" "$TEST_TMP/bare.git"
expect_rc "--staged on a bare repository: usage error" 2 "$PYORGO" check --staged "$TEST_TMP/bare.git"
expect_match "says why and what to do" "bare repository; use --base REV" "$TEST_TMP/err"
expect_rc "--base works on a bare repository" 0 "$PYORGO" check --base HEAD "$TEST_TMP/bare.git" --no-config
expect_match "nothing changed" "0 files changed" "$TEST_TMP/out"
finish
