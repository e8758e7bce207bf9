#!/usr/bin/env bash
# libFuzzer runs of Entente's parsers (Tests/Fuzz/README.md).
#
#   .ci/fuzz.sh [SECONDS_PER_TARGET]      default 120
#
# Builds every target of Tests/Fuzz/ with `swiftc -sanitize=fuzzer,address` into
# .build-fuzz/ (never touching .build/), then runs each one for that long on its
# working corpus .build-fuzz/corpus/<target>/, which starts as a copy of the
# committed seeds Tests/Fuzz/corpus/<target>/ and keeps what libFuzzer adds (never
# committed). Prints each target's executions and exits non-zero when any target
# crashed, leaked, timed out, ran out of memory or did not build; crash inputs
# land in .build-fuzz/artifacts/<target>/.
#
# Environment: FUZZ_TARGETS="HTTPRequestParser JSONParser DomainInput" (a subset),
# FUZZ_OUT=.build-fuzz, FUZZ_OPT=-O (or -Onone), FUZZ_FRESH=1 (restart the working
# corpus from the seeds), FUZZ_NO_BUILD=1 (reuse the binaries), SWIFTC=swiftc.
set -uo pipefail

SECONDS_PER_TARGET=${1:-120}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${FUZZ_OUT:-$ROOT/.build-fuzz}
SWIFTC=${SWIFTC:-swiftc}
OPT=${FUZZ_OPT:--O}
TARGETS=${FUZZ_TARGETS:-HTTPRequestParser JSONParser DomainInput}
case "$SECONDS_PER_TARGET" in ''|*[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;; esac

SRC=$ROOT/Sources
BIN=$OUT/bin
MODULES=$OUT/modules
LOGS=$OUT/logs
mkdir -p "$BIN" "$MODULES" "$LOGS"
COMMON=(-sanitize=fuzzer,address -parse-as-library "$OPT" -g -swift-version 6
        -module-cache-path "$OUT/module-cache")

# A library module compiled (instrumented) into one object plus its .swiftmodule,
# after the Swift modules of Sources/ it imports; a C module of Sources/ (one with
# a module.modulemap) adds its folder to the include path and its libraries to
# the link. Fills MODULE_OBJECTS, C_INCLUDES and C_LIBS, in dependency order.
MODULE_OBJECTS=()
C_INCLUDES=()
C_LIBS=()
BUILT=" "
imported_modules() {  # the modules of Sources/ imported by the files of one folder
    find "$SRC/$1" -name '*.swift' -exec sed -n 's/^[[:space:]]*\(@[a-zA-Z_]*[[:space:]]*\)*import[[:space:]][[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\).*/\2/p' {} + \
        | sort -u | while read -r m; do [ -d "$SRC/$m" ] && echo "$m"; done
}
build_dependencies() {  # of a folder of Sources/
    local dep
    for dep in $(imported_modules "$1"); do
        case "$BUILT" in *" $dep "*) continue ;; esac
        BUILT="$BUILT$dep "
        if [ -f "$SRC/$dep/module.modulemap" ]; then
            C_INCLUDES+=(-I "$SRC/$dep")
            C_LIBS+=($(sed -n 's/^[[:space:]]*link[[:space:]]*"\([^"]*\)".*/-l\1/p' "$SRC/$dep/module.modulemap"))
        else
            build_dependencies "$dep" || return 1
            echo "   module $dep" >&2
            "$SWIFTC" "${COMMON[@]}" -c -wmo -module-name "$dep" -emit-module \
                -emit-module-path "$MODULES/$dep.swiftmodule" -I "$MODULES" "${C_INCLUDES[@]}" \
                -o "$MODULES/$dep.o" $(find "$SRC/$dep" -name '*.swift') || return 1
            MODULE_OBJECTS+=("$MODULES/$dep.o")
        fi
    done
}

build_target() {
    local target=$1
    case "$target" in
    HTTPRequestParser)
        # The parser and the value types it needs; the rest of HTTPServer
        # (sockets, epoll, the server) is left out. One module, so the
        # parser's internal helpers are visible to the target; the modules
        # HTTPServer imports from Sources/ are built first, in case they are used.
        build_dependencies HTTPServer &&
        "$SWIFTC" "${COMMON[@]}" -module-name HTTPServer -o "$BIN/$target" \
            -I "$MODULES" "${C_INCLUDES[@]}" "${MODULE_OBJECTS[@]}" "${C_LIBS[@]}" \
            "$ROOT/Tests/Fuzz/$target/"*.swift \
            "$SRC/HTTPServer/RequestParser.swift" "$SRC/HTTPServer/HTTPRequest.swift" \
            "$SRC/HTTPServer/HTTPHeaders.swift" "$SRC/HTTPServer/HTTPParseError.swift" \
            "$SRC/HTTPServer/ClientPresence.swift" "$SRC/HTTPServer/PercentEncoding.swift" \
            "$ROOT/Tests/TestSupport/SplitMix64.swift"
        ;;
    JSONParser)
        "$SWIFTC" "${COMMON[@]}" -module-name JSON -o "$BIN/$target" \
            "$ROOT/Tests/Fuzz/$target/"*.swift "$SRC/JSON/"*.swift
        ;;
    DomainInput)
        # Registry's files import JSON, Governance, SQLite, Digest... (whatever
        # they import today): each Swift one is built as a module of its own, the
        # C ones (CSQLite, CCrypto) through their module maps; Registry itself is
        # compiled together with the target, so its internal API is visible.
        build_dependencies Registry &&
        "$SWIFTC" "${COMMON[@]}" -module-name Registry -o "$BIN/$target" \
            -I "$MODULES" "${C_INCLUDES[@]}" \
            "$ROOT/Tests/Fuzz/$target/"*.swift $(find "$SRC/Registry" -name '*.swift') \
            "${MODULE_OBJECTS[@]}" "${C_LIBS[@]}"
        ;;
    *)
        echo "unknown target $target" >&2
        return 1
        ;;
    esac
}

passed=0
failed=0
summary=()
for target in $TARGETS; do
    log=$LOGS/$target.log
    if [ "${FUZZ_NO_BUILD:-0}" != 1 ] || [ ! -x "$BIN/$target" ]; then
        echo "== $target: building" >&2
        if ! build_target "$target" >"$LOGS/$target.build.log" 2>&1; then
            cat "$LOGS/$target.build.log" >&2
            summary+=("$target: FAILED to build (see $LOGS/$target.build.log)")
            failed=$((failed + 1))
            continue
        fi
    fi

    corpus=$OUT/corpus/$target
    artifacts=$OUT/artifacts/$target
    [ "${FUZZ_FRESH:-0}" = 1 ] && rm -rf "$corpus"
    mkdir -p "$corpus" "$artifacts"
    cp "$ROOT/Tests/Fuzz/corpus/$target/"* "$corpus/"
    dict=()
    [ -f "$ROOT/Tests/Fuzz/$target/$target.dict" ] && dict=(-dict="$ROOT/Tests/Fuzz/$target/$target.dict")
    before=$(find "$artifacts" -type f | wc -l)

    echo "== $target: fuzzing for $SECONDS_PER_TARGET s (log $log)" >&2
    start=$(date +%s)
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1} \
    "$BIN/$target" -max_total_time="$SECONDS_PER_TARGET" -timeout=5 -rss_limit_mb=2048 \
        -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
        "$corpus" >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    execs=${execs:-0}
    rate=$(( execs / (elapsed > 0 ? elapsed : 1) ))
    after=$(find "$artifacts" -type f | wc -l)
    units=$(find "$corpus" -type f | wc -l)
    if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
        passed=$((passed + 1))
        summary+=("$target: ok, $execs executions in $elapsed s ($rate exec/s), corpus $units files")
    else
        failed=$((failed + 1))
        summary+=("$target: FAILED (exit $rc), $execs executions in $elapsed s; new artifacts in $artifacts; see $log")
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|Precondition failed|deadly signal|ALARM|out-of-memory|Test unit written' "$log" | head -20 >&2
    fi
    echo "${summary[-1]}"
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
