#!/usr/bin/env bash
# LeakSanitizer on the service itself: the AddressSanitizer build of
# `entente serve` (from .ci/sanitizers.sh) takes a walk through every kind of
# resource, good and bad requests, webhook deliveries that fail and retry,
# then stops on SIGTERM. Any leak it reports at exit fails this script.
#
# One suppression: libcurl, which the toolchain's FoundationNetworking uses
# for URLSession, loses a few dozen bytes per delivery attempt inside
# libcurl.so (docs/reliability.md). The test process of `swift test` is not
# checked this way: XCTest itself keeps allocations LeakSanitizer reports.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-.build-asan/debug/entente}
[ -x "$binary" ] || { echo "no AddressSanitizer build at $binary (run .ci/sanitizers.sh)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$scratch"' EXIT
printf 'leak:libcurl.so\n' > "$scratch/lsan.supp"

token=leakcheck0123456789abcdef0123456789
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$scratch/lsan.supp" ENTENTE_ADMIN_KEY=$token ENTENTE_WEBHOOK_FIRST_RETRY=1 \
    "$binary" serve --db "$scratch/e.sqlite" --port "$port" --migrations Migrations >"$scratch/out.log" 2>"$scratch/err.log" &
server=$!
base=http://127.0.0.1:$port
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

requests=0
call() {  # call METHOD PATH [BODY] → prints the body; any status is fine, a 5xx is not
    local method=$1 path=$2 body=${3:-}
    local out
    out=$(curl -s -w '\n%{http_code}' -X "$method" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        ${body:+-d "$body"} "$base$path")
    requests=$((requests + 1))
    local status=${out##*$'\n'}
    if [ "${status:0:1}" = 5 ]; then echo "$method $path answered $status: ${out%$'\n'*}" >&2; exit 1; fi
    printf '%s' "${out%$'\n'*}"
}
id() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }

call POST /v1/webhooks '{"url":"http://127.0.0.1:9/refused","events":["*"],"secret":"0123456789abcdef0123456789abcdef"}' >/dev/null
a=$(call POST /v1/partners '{"name":"Musée A","kind":"institution","country":"FR"}' | id)
b=$(call POST /v1/partners '{"name":"Festival B","kind":"association","country":"FR"}' | id)
c=$(call POST /v1/partners '{"name":"Ville C","kind":"local_authority","country":"FR"}' | id)
call PATCH "/v1/partners/$a" '{"website":"https://musee.example.org"}' >/dev/null
call POST /v1/partners '{"name":""}' >/dev/null
person=$(call POST /v1/people "{\"name\":\"Claire\",\"email\":\"claire@example.org\",\"affiliations\":[{\"partner_id\":\"$a\",\"roles\":[\"legal_representative\"]}]}" | id)
project=$(call POST /v1/projects '{"title":"Expo","status":"active"}' | id)
call PUT "/v1/projects/$project/partners/$a" '{"role":"lead"}' >/dev/null
indicator=$(call POST "/v1/projects/$project/indicators" '{"name":"Visitors","unit":"people","target":1000,"direction":"increase"}' | id)
call POST "/v1/indicators/$indicator/measurements" '{"value":120,"measured_on":"2030-01-31"}' >/dev/null
parties="[{\"partner_id\":\"$a\",\"contributions\":[{\"kind\":\"financial\",\"description\":\"Apport\",\"value_cents\":300000,\"instalments\":[{\"due_on\":\"2030-01-01\",\"value_cents\":100000},{\"due_on\":\"2031-01-01\",\"value_cents\":200000}]}]},{\"partner_id\":\"$b\",\"contributions\":[]},{\"partner_id\":\"$c\",\"contributions\":[]}]"
convention=$(call POST /v1/conventions "{\"project_id\":\"$project\",\"title\":\"Convention\",\"governance\":{\"voting\":\"proportional\",\"floor_percent\":10,\"majority\":\"two_thirds\"},\"parties\":$parties}" | id)
call POST "/v1/conventions/$convention/submit" >/dev/null
call POST "/v1/conventions/$convention/signatures" "{\"partner_id\":\"$a\",\"person_id\":\"$person\"}" >/dev/null
call POST "/v1/conventions/$convention/signatures" "{\"partner_id\":\"$b\",\"signatory\":\"B\"}" >/dev/null
call POST "/v1/conventions/$convention/signatures" "{\"partner_id\":\"$c\",\"signatory\":\"C\"}" >/dev/null
call GET "/v1/conventions/$convention/decision-rights" >/dev/null
call POST /v1/governance/simulate '{"governance":{"voting":"equal","majority":"double_majority"},"parties":[{"partner_id":"x","contribution_cents":1},{"partner_id":"y","contribution_cents":2}]}' >/dev/null
call POST "/v1/conventions/$convention/amendments" '{"summary":"Titre","changes":{"title":"Convention 2"}}' >/dev/null
decision=$(call POST "/v1/conventions/$convention/decisions" '{"title":"Budget"}' | id)
call POST "/v1/decisions/$decision/votes" "{\"partner_id\":\"$a\",\"choice\":\"yes\"}" >/dev/null
call POST "/v1/decisions/$decision/close" >/dev/null
obligation=$(call POST "/v1/conventions/$convention/obligations" "{\"partner_id\":\"$b\",\"title\":\"Rapport\",\"kind\":\"report\",\"due_on\":\"2020-01-01\"}" | id)
call POST "/v1/obligations/$obligation/fulfilment" '{"note":"Fait"}' >/dev/null
notice=$(call POST "/v1/conventions/$convention/parties/$c/breach-notices" '{"reason":"Retard","cure_days":0}' | id)
call GET "/v1/breach-notices/$notice" >/dev/null
call GET "/v1/partners/$c/standing" >/dev/null
meeting=$(call POST "/v1/conventions/$convention/meetings" '{"title":"AG","starts_at":"2031-01-01T10:00:00Z","agenda":[{"title":"Ouverture"}]}' | id)
call PUT "/v1/meetings/$meeting/proxies/$b" "{\"holder_partner_id\":\"$a\"}" >/dev/null
call PUT "/v1/meetings/$meeting/attendance/$a" "{\"present\":true,\"person_id\":\"$person\"}" >/dev/null
call POST "/v1/meetings/$meeting/agenda" '{"title":"Vote","decision":{"title":"Programme"}}' >/dev/null
call GET "/v1/meetings/$meeting/decision-rights" >/dev/null
curl -s -H "Authorization: Bearer $token" -H 'Accept: text/calendar' "$base/v1/meetings" >/dev/null
curl -s -H "Authorization: Bearer $token" -H 'Accept: text/csv' "$base/v1/partners" >/dev/null
for path in /v1/audit /v1/events /v1/partners /v1/people /v1/projects /v1/conventions /v1/meetings /v1/api-keys /v1/webhooks /metrics /readyz /openapi.yaml /v1/nothing; do
    call GET "$path" >/dev/null
done
printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n' | curl -s --max-time 2 telnet://127.0.0.1:$port >/dev/null || true
sleep 5  # a few refused deliveries and their retries
kill -TERM "$server"
status=0
wait "$server" || status=$?
if grep -q "LeakSanitizer" "$scratch/err.log"; then
    cat "$scratch/err.log" >&2
    echo "server-leaks: LeakSanitizer reported leaks after $requests requests" >&2
    exit 1
fi
[ $status -eq 0 ] || { tail -20 "$scratch/err.log" >&2; echo "server-leaks: the server exited $status" >&2; exit 1; }
echo "server-leaks: $requests requests, webhook retries, SIGTERM: no leak reported"
