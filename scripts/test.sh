#!/bin/sh
# test.sh - run the built test programs stage by stage; any failing stage
# fails the run, and every stage still runs so one report shows everything.
#   BUILD     build folder (default build)
#   STAGES    subset of "layering unit conformance integration"
#   VALGRIND  command prefix for the unit and conformance programs
set -u
BUILD=${BUILD:-build}
STAGES=${STAGES:-"layering unit conformance integration"}
VALGRIND=${VALGRIND:-}
STEPBENCH=${STEPBENCH:-$BUILD/stepbench}
export BUILD STEPBENCH

failed=""
note() { printf '\n== %s ==\n' "$1"; }

# The vendored suites must stay identical to the shared originals.
if [ -d ../shared/conformance ]; then
	for s in jsonata asl; do
		if ! diff -rq "../shared/conformance/$s" "tests/conformance/suites/$s" >/dev/null; then
			echo "tests/conformance/suites/$s differs from ../shared/conformance/$s" >&2
			failed="$failed suites"
		fi
	done
fi

for stage in $STAGES; do
	case $stage in
	layering)
		note "layering"
		sh scripts/check-deps.sh || failed="$failed layering"
		;;
	unit)
		note "unit"
		$VALGRIND "$BUILD/tests/unit" || failed="$failed unit"
		;;
	conformance)
		for t in "$BUILD"/tests/conformance/*; do
			[ -f "$t" ] && [ -x "$t" ] || continue
			note "conformance: $(basename "$t")"
			$VALGRIND "$t" || failed="$failed $(basename "$t")"
		done
		;;
	integration)
		for t in tests/integration/test_*; do
			[ -f "$t" ] || continue
			note "integration: $(basename "$t")"
			case $t in
			*.sh) sh "$t" ;;
			*.py) python3 "$t" ;;
			*) "$t" ;;
			esac || failed="$failed $(basename "$t")"
		done
		;;
	*) echo "test.sh: unknown stage $stage" >&2; exit 2 ;;
	esac
done

if [ -n "$failed" ]; then
	printf '\nFAILED:%s\n' "$failed"
	exit 1
fi
printf '\nall test stages passed\n'
