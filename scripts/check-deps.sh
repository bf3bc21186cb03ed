#!/bin/sh
# check-deps.sh - fail on an #include edge that breaks the layering of
# DESIGN.md / STYLE.md: cli -> reports -> runner -> mocks -> engine ->
# engine/jsonata -> common, and each third-party library behind its one adapter.
set -u
status=0
bad() { echo "check-deps: $1: $2" >&2; status=1; }

# allowed project include prefixes per source folder
allowed() {
	case $1 in
	common/*) echo "common/" ;;
	engine/jsonata/*) echo "common/ engine/jsonata/" ;;
	engine/*) echo "common/ engine/" ;;
	mocks/stepfunctions/* | mocks/lambda/*) echo "common/ engine/ mocks/" ;;
	mocks/*) echo "common/ engine/transport.h engine/jsonata/jsonata.h mocks/" ;;
	runner/*) echo "common/ engine/ mocks/ runner/" ;;
	reports/*) echo "common/ runner/result.h reports/" ;;
	cli/*) echo "common/ engine/ mocks/ runner/ reports/ cli/" ;;
	*) echo "" ;;
	esac
}

mkdir -p "${BUILD:-build}"
for f in $(find common engine mocks runner reports cli -name '*.[ch]' 2>/dev/null | sort); do
	ok=$(allowed "$f")
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		inc=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
		case $inc in */*) ;; *) continue ;; esac # generated or local includes
		fine=0
		for p in $ok; do
			case $inc in "$p"*) fine=1 ;; esac
		done
		[ $fine -eq 1 ] || echo "$f: includes $inc"
	done
	# third-party adapters
	for lib in lmdb.h:mocks/store/store.c civetweb.h:mocks/server/server.c pcre2.h:engine/jsonata/jn_regex.c; do
		h=${lib%%:*} owner=${lib#*:}
		if grep -q "^#include <$h>" "$f" && [ "$f" != "$owner" ]; then
			echo "$f: includes <$h>, which only $owner may include"
		fi
	done
	case $f in
	engine/jsonata/jsonata.h | engine/jsonata/jn_cjson.c) ;;
	engine/jsonata/*) grep -q '^#include <cjson/cJSON.h>' "$f" && echo "$f: cJSON is only for jn_cjson.c inside engine/jsonata" ;;
	esac
done > "${BUILD:-build}/check-deps.out" 2>&1 || true
if [ -s "${BUILD:-build}/check-deps.out" ]; then
	sed 's/^/check-deps: /' "${BUILD:-build}/check-deps.out" >&2
	exit 1
fi
echo "check-deps: every include follows the layering"
