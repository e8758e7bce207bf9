#!/usr/bin/env bash
# Schema-driven tests: runs schemathesis (v4 CLI) against a throwaway
# `entente serve` with docs/openapi.yaml as the oracle.
#
#   .ci/schemathesis.sh            # from anywhere; exits non-zero on any failure
#
# Environment:
#   ENTENTE_BINARY            the server binary (default .build/debug/entente)
#   SCHEMATHESIS_MAX_EXAMPLES test cases per operation and phase (default 30)
#   SCHEMATHESIS_SEED         hypothesis seed (default: random; printed)
#   SCHEMATHESIS_STATEFUL_EXAMPLES  stateful scenarios (default 150)
#   SCHEMATHESIS_TIMEOUT      seconds allowed for each run (default 150)
#   SCHEMATHESIS_BUDGET       seconds for the whole script (default 330): each run
#                             gets at most what is left of it
#   SCHEMATHESIS_REPORT_DIR   keep JUnit reports here (default: a temp dir, removed)
#
# A lifecycle walk (.ci/schemathesis_walk.py: real objects through every
# state, each answer checked by schemathesis' response checks), then three
# schemathesis runs, each with the checks not_a_server_error, status_code_conformance,
# content_type_conformance, response_headers_conformance and
# response_schema_conformance:
#   1. operations: every operation, phases examples, coverage and fuzzing,
#      positive and negative data;
#   2. stateful: positive data chained along the explicit OpenAPI `links` of
#      docs/openapi.yaml (create a partner, then read, change, delete it...);
#   3. api-keys: createApiKey and revokeApiKey (fuzzing, stateful) on their
#      own, last. Elsewhere revokeApiKey is excluded: schemathesis feeds ids it
#      has seen (GET /v1/api-keys lists the admin key) into later requests, and
#      revoking the run's own admin key would turn every later answer into a
#      401/429 that still "conforms". After each run the token is checked.
# Excluded everywhere: POST /v1/webhooks, whose subscriptions make the server
# POST events to the URL given; a fuzzer would point it at arbitrary hosts,
# and this server must only ever talk to 127.0.0.1. The other webhook routes
# run (with no subscription in the fresh database they reach nothing).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

binary="${ENTENTE_BINARY:-.build/debug/entente}"
case "$binary" in /*) ;; *) binary="$root/$binary" ;; esac
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
stateful_examples="${SCHEMATHESIS_STATEFUL_EXAMPLES:-150}"
seed="${SCHEMATHESIS_SEED:-$((RANDOM * 32768 + RANDOM))}"
run_timeout="${SCHEMATHESIS_TIMEOUT:-150}"
budget="${SCHEMATHESIS_BUDGET:-330}"
schema="$root/docs/openapi.yaml"

started=$(date +%s)
# Seconds the next run may take: SCHEMATHESIS_TIMEOUT, or what is left of the budget.
allowed() {
    local left=$(( started + budget - $(date +%s) ))
    [ "$left" -lt "$run_timeout" ] && echo "$left" || echo "$run_timeout"
}
summary() { echo "schemathesis: $1 ($(( $(date +%s) - started ))s, seed $seed)"; }

[ -x "$binary" ] || { summary "FAILED: no server binary at $binary (swift build first)"; exit 1; }

# The same python3 installs, runs the CLI and runs the walk.
st=(python3 -m schemathesis.cli)
if ! python3 -c 'import schemathesis' 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check 'schemathesis>=4,<5' \
        || { summary "FAILED: could not install schemathesis"; exit 1; }
fi
version="$("${st[@]}" --version 2>/dev/null | awk '{print $NF}')"
case "$version" in
    4.*) ;;
    *) summary "FAILED: schemathesis $version found; this script uses the v4 CLI"; exit 1 ;;
esac

work="$(mktemp -d)"
report_dir="${SCHEMATHESIS_REPORT_DIR:-$work/report}"
mkdir -p "$report_dir"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

token="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
ENTENTE_ADMIN_KEY="$token" ENTENTE_OPENAPI="$schema" \
    "$binary" serve --host 127.0.0.1 --port 0 --db "$work/s.sqlite" \
    --migrations "$root/Migrations" >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 1 100); do
    port="$(sed -n 's/.*"msg":"started".*"port":\([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -n1)"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    cat "$work/server.log" >&2
    summary "FAILED: the server did not start"
    exit 1
fi
base="http://127.0.0.1:$port"
echo "entente on $base (schemathesis $version, $max_examples examples, seed $seed)"

# Everything schemathesis or hypothesis writes stays in $work (one directory
# per run, so no run reuses values another one cached).
cat >"$work/schemathesis.toml" <<'TOML'
# Stateful phase: follow the links written in docs/openapi.yaml only (the
# inferred ones are hundreds of guesses that dilute the scenarios).
[phases.stateful]
max-steps = 12
[phases.stateful.inference]
algorithms = []
TOML
common=(
    --url "$base"
    --header "Authorization: Bearer $token"
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
    --exclude-operation-id createWebhook
    --seed "$seed"
    --workers 1
    --request-timeout 10
    --generation-database none
    --suppress-health-check too_slow,filter_too_much,data_too_large
    --no-color
    --warnings off
)

token_works() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/v1/api-keys")" = 200 ]
}

failed=()
run() {
    local name="$1"; shift
    echo
    echo "== schemathesis: $name"
    local limit; limit=$(allowed)
    [ "$limit" -gt 0 ] || { failed+=("$name (out of time)"); return 1; }
    mkdir -p "$work/$name" && cd "$work/$name" || return 1
    timeout --kill-after=10 "$limit" "${st[@]}" --config-file "$work/schemathesis.toml" \
        run "$schema" "${common[@]}" \
        --report junit --report-junit-path "$report_dir/$name.xml" "$@"
    local rc=$?
    cd "$work"
    case $rc in
        0) ;;
        124|137) echo "$name: timed out after ${limit}s"; failed+=("$name (timeout)") ;;
        *) failed+=("$name") ;;
    esac
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "the server died during $name:"; tail -n 20 "$work/server.log"
        failed+=("server died during $name")
        return 1
    fi
    if ! token_works; then
        echo "the admin token no longer works after $name: later answers would test nothing"
        failed+=("token lost during $name")
        return 1
    fi
}

# A lifecycle walk first (partners, project, a convention signed into force,
# an amendment, decisions and votes, defaulting, indicators): its answers are
# checked too, and the objects it leaves are listed by the GET routes, whose
# ids schemathesis then reuses in the fuzzing and stateful runs.
walk() {
    echo
    echo "== schemathesis: walk"
    local limit; limit=$(allowed)
    [ "$limit" -gt 0 ] || { failed+=("walk (out of time)"); return 1; }
    if ! (cd "$work" && timeout --kill-after=10 "$limit" python3 "$root/.ci/schemathesis_walk.py" "$schema" "$base" "$token"); then
        failed+=("walk")
    fi
    kill -0 "$server_pid" 2>/dev/null || { echo "the server died during walk"; failed+=("server died during walk"); return 1; }
    token_works || { echo "the admin token no longer works after walk"; failed+=("token lost during walk"); return 1; }
}

walk && \
run operations --phases examples,coverage,fuzzing --max-examples "$max_examples" \
    --exclude-operation-id revokeApiKey && \
run stateful --phases stateful --mode positive --max-examples "$stateful_examples" \
    --exclude-operation-id revokeApiKey && \
run api-keys --phases fuzzing,stateful --max-examples "$max_examples" \
    --include-operation-id createApiKey --include-operation-id revokeApiKey

# What the server answered, from its own metrics: a run that only ever got
# 4xx (no resource created) would be green and worthless.
statuses="$(curl -s "$base/metrics" | awk '
    /^entente_http_requests_total\{/ {
        match($0, /status="[0-9]+"/); c = substr($0, RSTART + 8, 1); n[c "xx"] += $NF
        if ($0 ~ /method="POST"/ && $0 ~ /status="201"/) created += $NF
    }
    END { printf "%d 2xx, %d 3xx, %d 4xx, %d 5xx; %d created (201)", n["2xx"], n["3xx"], n["4xx"], n["5xx"], created }')"
echo
echo "server answers: $statuses"
case "$statuses" in *"; 0 created"*) failed+=("no resource was ever created") ;; esac
case "$statuses" in *" 0 5xx;"*) ;; *) failed+=("the server answered 5xx (see its metrics above)") ;; esac

cd "$root"
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then echo "JUnit reports in $report_dir"; fi
if [ ${#failed[@]} -gt 0 ]; then
    summary "FAILED: $(IFS=,; echo "${failed[*]}")"
    exit 1
fi
summary "passed (walk, operations, stateful and api-keys runs)"
