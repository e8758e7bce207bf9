#!/usr/bin/env bash
# The whole test suite under ThreadSanitizer, then AddressSanitizer, each in
# its own build folder so the ordinary .build stays as it is. About 9 minutes
# on 2 cores. Exits non-zero when either run fails; a sanitizer report in a
# child `entente` process makes it exit non-zero too, which fails its test.
#
# Leak detection is off in the test process: at exit LeakSanitizer reports
# objects XCTest itself keeps, which would fail every run whatever the code
# under test does. Memory errors (use after free, overflows, double frees)
# are all reported. Leaks are then checked on the service itself:
# .ci/server-leaks.sh runs the AddressSanitizer build of `entente serve`
# through every kind of request with LeakSanitizer on.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
for sanitizer in thread address; do
    echo "== swift test --sanitize=$sanitizer"
    if ! ASAN_OPTIONS=detect_leaks=0 swift test --sanitize="$sanitizer" --scratch-path ".build-${sanitizer:0:1}san"; then
        echo "sanitizers: --sanitize=$sanitizer failed" >&2
        status=1
    fi
done
echo "== LeakSanitizer on entente serve"
bash .ci/server-leaks.sh .build-asan/debug/entente || status=1
exit $status
