#!/bin/sh
# ci/pyorgo-ci.sh: the commands the GitHub Action (action.yml) and the
# GitLab template (ci/gitlab-ci.yml) run, kept in one place so that a test
# (tests/cli/ci_templates.sh) runs exactly them.
#
#   ci/pyorgo-ci.sh build SRC BUILD        configure and build pyorgo
#   ci/pyorgo-ci.sh check PYORGO BASE FORMAT OUT [PATH]
#                                          check BASE...HEAD, write OUT; the
#                                          exit status is pyorgo's (0, 1 policy
#                                          violation, 2, 3, 4)
set -eu
cmd=$1
shift
case "$cmd" in
deps)
	# Debian/Ubuntu packages needed to build
	apt-get install -y --no-install-recommends cmake ninja-build gcc \
		pkg-config libgit2-dev libcjson-dev libpcre2-dev
	;;
build)
	src=$1 build=$2
	cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
		-DBUILD_TESTING=OFF >/dev/null
	cmake --build "$build" --target pyorgo
	;;
check)
	pyorgo=$1 base=$2 format=$3 out=$4 path=${5:-.}
	# a shallow clone has no merge base: say so instead of failing late
	if [ "$(git -C "$path" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
		echo "pyorgo: shallow clone; fetch the base (fetch-depth: 0)" >&2
	fi
	rc=0
	"$pyorgo" check --base "$base" --format "$format" "$path" >"$out" || rc=$?
	echo "pyorgo check --base $base: exit $rc ($out)" >&2
	exit "$rc"
	;;
*)
	echo "usage: $0 deps | build SRC BUILD | check PYORGO BASE FORMAT OUT [PATH]" >&2
	exit 2
	;;
esac
