"""A full lifecycle walk, each answer checked against docs/openapi.yaml.

Random data rarely gets a convention into force (it needs existing partners,
a project, a submission and every party's signature), so the fuzzing and
stateful runs of .ci/schemathesis.sh seldom see a signed convention, a
decision, an amendment or decision rights answer 2xx. This walk builds them
with real ids and runs schemathesis' own response checks on every answer.

    python3 .ci/schemathesis_walk.py SCHEMA BASE_URL TOKEN

Prints one line per step; exits 1 if any check failed or a step did not
answer the status expected.
"""
import datetime
import secrets
import sys

import schemathesis
from schemathesis.checks import CHECKS

schema_path, base, token = sys.argv[1:4]
schema = schemathesis.openapi.from_path(schema_path)
CHECK_NAMES = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
checks = [CHECKS.get_one(name) for name in CHECK_NAMES]
auth = {"Authorization": f"Bearer {token}"}
suffix = secrets.token_hex(4)
today = datetime.date.today().isoformat()
failures = []


def step(label, method, path, expect, body=None, path_parameters=None, query=None, headers=None):
    operation = schema[path][method]
    kwargs = {"path_parameters": path_parameters or {}, "query": query, "headers": headers}
    if body is not None:
        kwargs["body"] = body
        kwargs["media_type"] = "application/json"
    case = operation.Case(**kwargs)
    response = case.call(base_url=base, headers=auth)
    problems = []
    if response.status_code not in expect:
        problems.append(f"status {response.status_code}, expected {'/'.join(map(str, expect))}: {response.text[:300]}")
    try:
        case.validate_response(response, checks=checks, headers=auth)
    except BaseExceptionGroup as group:  # schemathesis' FailureGroup
        for error in group.exceptions:
            title = getattr(error, "title", type(error).__name__)
            message = getattr(error, "message", str(error))
            problems.append(f"{title}: {message}".strip()[:2000])
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}"[:2000])
    print(f"{'FAIL' if problems else 'ok  '} {response.status_code} {label}: {method} {path}")
    for problem in problems:
        print("     " + problem.replace("\n", "\n     "))
        failures.append(f"{label} ({method} {path})")
    try:
        return response.json()
    except Exception:
        return None


p = "/v1/partners"
a = step("partner A", "POST", p, [201], {"name": f"Walk A {suffix}", "kind": "institution", "country": "FR", "expertise": ["theatre"]})
b = step("partner B", "POST", p, [201], {"name": f"Walk B {suffix}", "kind": "company"})
c = step("partner C", "POST", p, [201], {"name": f"Walk C {suffix}", "kind": "artist"})
if not (a and b and c and "id" in a and "id" in b and "id" in c):
    print("cannot go on without partners")
    sys.exit(1)
A, B, C = a["id"], b["id"], c["id"]
step("get partner", "GET", "/v1/partners/{id}", [200], path_parameters={"id": A})
step("patch partner", "PATCH", "/v1/partners/{id}", [200], {"city": "Lyon"}, path_parameters={"id": A})
step("partners CSV", "GET", p, [200], headers={"Accept": "text/csv"})
step("duplicate partner", "POST", p, [409], {"name": f"walk a {suffix}", "kind": "other", "country": "FR"})
step("delete partner C", "DELETE", "/v1/partners/{id}", [204], path_parameters={"id": C})

project = step("project", "POST", "/v1/projects", [201], {"title": f"Walk {suffix}", "status": "active", "starts_on": today, "budget_cents": 100000})
P = project["id"]
step("participant", "PUT", "/v1/projects/{id}/partners/{partner_id}", [201], {"role": "lead"}, path_parameters={"id": P, "partner_id": A})
step("participant again", "PUT", "/v1/projects/{id}/partners/{partner_id}", [200], {"role": "funder"}, path_parameters={"id": P, "partner_id": A})
step("participant B", "PUT", "/v1/projects/{id}/partners/{partner_id}", [201], {"role": "host"}, path_parameters={"id": P, "partner_id": B})
step("get project", "GET", "/v1/projects/{id}", [200], path_parameters={"id": P})
step("projects CSV", "GET", "/v1/projects", [200], headers={"Accept": "text/csv"})

convention = step("convention", "POST", "/v1/conventions", [201], {
    "project_id": P, "title": f"Walk convention {suffix}", "effective_from": today, "notice_days": 30,
    "dispute_resolution": {"method": "mediation", "details": "Chamber of commerce"},
    "governance": {"voting": "proportional", "majority": "simple", "quorum_percent": 50},
    "parties": [
        {"partner_id": A, "contributions": [{"kind": "financial", "description": "Cash", "value_cents": 60000}]},
        {"partner_id": B, "contributions": [{"kind": "venue", "description": "Hall", "value_cents": 40000}]},
    ],
})
K = convention["id"]
cid = {"id": K}
step("get convention", "GET", "/v1/conventions/{id}", [200], path_parameters=cid)
step("patch draft", "PATCH", "/v1/conventions/{id}", [200], {"reference": "W-1"}, path_parameters=cid)
step("decision rights (draft)", "GET", "/v1/conventions/{id}/decision-rights", [200], path_parameters=cid)
step("revisions (none yet)", "GET", "/v1/conventions/{id}/revisions", [200], path_parameters=cid)
step("submit", "POST", "/v1/conventions/{id}/submit", [200], {}, path_parameters=cid)
step("sign A", "POST", "/v1/conventions/{id}/signatures", [201], {"partner_id": A, "signatory": "Ada"}, path_parameters=cid)
step("sign A twice", "POST", "/v1/conventions/{id}/signatures", [409], {"partner_id": A, "signatory": "Ada"}, path_parameters=cid)
signed = step("sign B", "POST", "/v1/conventions/{id}/signatures", [201], {"partner_id": B, "signatory": "Bob"}, path_parameters=cid)
step("conventions CSV", "GET", "/v1/conventions", [200], headers={"Accept": "text/csv"})
step("conventions in force", "GET", "/v1/conventions", [200], query={"status": "in_force", "partner_id": A})
step("revisions", "GET", "/v1/conventions/{id}/revisions", [200], path_parameters=cid)
step("revision 1", "GET", "/v1/conventions/{id}/revisions/{revision}", [200], path_parameters={"id": K, "revision": 1})
step("as_of today", "GET", "/v1/conventions/{id}", [200], path_parameters=cid, query={"as_of": today})
step("decision rights", "GET", "/v1/conventions/{id}/decision-rights", [200], path_parameters=cid)
contribution = (signed or {}).get("parties", [{}])[0].get("contributions", [{}])[0].get("id", "none")
step("delivery", "PATCH", "/v1/conventions/{id}/contributions/{contribution_id}", [200], {"delivered_cents": 70000},
     path_parameters={"id": K, "contribution_id": contribution})

amendment = step("amendment", "POST", "/v1/conventions/{id}/amendments", [201],
                 {"summary": "New title", "changes": {"title": f"Walk convention {suffix} (amended)"}}, path_parameters=cid)
number = (amendment or {}).get("number", 1)
step("amendments", "GET", "/v1/conventions/{id}/amendments", [200], path_parameters=cid)
step("amendment 1", "GET", "/v1/conventions/{id}/amendments/{number}", [200], path_parameters={"id": K, "number": number})
step("amendment sign A", "POST", "/v1/conventions/{id}/amendments/{number}/signatures", [201], {"partner_id": A, "signatory": "Ada"}, path_parameters={"id": K, "number": number})
step("amendment sign B", "POST", "/v1/conventions/{id}/amendments/{number}/signatures", [201], {"partner_id": B, "signatory": "Bob"}, path_parameters={"id": K, "number": number})
step("revision 2", "GET", "/v1/conventions/{id}/revisions/{revision}", [200], path_parameters={"id": K, "revision": 2})

decision = step("decision", "POST", "/v1/conventions/{id}/decisions", [201], {"title": "Budget", "majority": "absolute"}, path_parameters=cid)
D = (decision or {}).get("id", "none")
step("vote A", "POST", "/v1/decisions/{id}/votes", [201], {"partner_id": A, "choice": "yes"}, path_parameters={"id": D})
step("vote A again", "POST", "/v1/decisions/{id}/votes", [200], {"partner_id": A, "choice": "abstain"}, path_parameters={"id": D})
step("vote B", "POST", "/v1/decisions/{id}/votes", [201], {"partner_id": B, "choice": "no"}, path_parameters={"id": D})
step("get decision", "GET", "/v1/decisions/{id}", [200], path_parameters={"id": D})
step("decisions", "GET", "/v1/conventions/{id}/decisions", [200], path_parameters=cid)
step("close decision", "POST", "/v1/decisions/{id}/close", [200], {}, path_parameters={"id": D})
step("default B", "POST", "/v1/conventions/{id}/parties/{partner_id}/default", [200], {"reason": "Unpaid"}, path_parameters={"id": K, "partner_id": B})
step("decision rights (B defaulting)", "GET", "/v1/conventions/{id}/decision-rights", [200], path_parameters=cid)
step("lift default B", "DELETE", "/v1/conventions/{id}/parties/{partner_id}/default", [200], path_parameters={"id": K, "partner_id": B})
step("simulate", "POST", "/v1/governance/simulate", [200], {
    "governance": {"voting": "proportional", "majority": 70},
    "parties": [{"partner_id": n, "contribution_cents": w} for n, w in zip("abcdef", [4, 4, 4, 2, 2, 1])],
})

indicator = step("indicator", "POST", "/v1/projects/{id}/indicators", [201],
                 {"name": "Visitors", "unit": "people", "baseline": 100, "target": 1000, "direction": "increase"}, path_parameters={"id": P})
I = (indicator or {}).get("id", "none")
step("measurement", "POST", "/v1/indicators/{id}/measurements", [201], {"value": 550, "measured_on": today, "note": "Spring"}, path_parameters={"id": I})
step("measurements", "GET", "/v1/indicators/{id}/measurements", [200], path_parameters={"id": I})
step("get indicator", "GET", "/v1/indicators/{id}", [200], path_parameters={"id": I})
step("indicators", "GET", "/v1/projects/{id}/indicators", [200], path_parameters={"id": P})

step("terminate", "POST", "/v1/conventions/{id}/termination", [200], {"reason": "Project over", "effective_on": today}, path_parameters=cid)
step("audit", "GET", "/v1/audit", [200], query={"entity_id": K})
step("events", "GET", "/v1/events", [200], query={"limit": 500})
step("delete partner in use", "DELETE", "/v1/partners/{id}", [409], path_parameters={"id": A})
key = step("api key", "POST", "/v1/api-keys", [201], {"name": "walk reader", "role": "reader"})
step("api keys", "GET", "/v1/api-keys", [200])
step("revoke api key", "DELETE", "/v1/api-keys/{id}", [204], path_parameters={"id": (key or {}).get("id", "none")})
step("webhooks", "GET", "/v1/webhooks", [200])

if failures:
    print(f"walk: {len(failures)} failed: " + "; ".join(failures))
    sys.exit(1)
print("walk: every step conforms")
