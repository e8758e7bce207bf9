#!/usr/bin/env python3
"""Instructions and system calls per request, for GET by id, POST and /healthz.

    swift build -c release --product entente
    python3 docs/bench/request_profile.py .build/release/entente [--requests 2000]

Starts the release build under `valgrind --tool=callgrind` on a fresh database
in a temporary folder, seeds 200 partners, then for each scenario zeroes the
counters, sends N requests one after another on one keep-alive connection and
dumps the counters. Callgrind counts user-space instructions (the kernel's are
not in it), whatever else the machine is doing. The tables give instructions
per request, where they went by library, and by component: inclusive counts
of the parser, the router, authentication, SQLite, JSON, the response
serializer and the access log (they overlap where one calls another), and
the self counts of malloc and reference counting (the kernel's share is seen
with `perf`). Then the same requests against the
build run without valgrind, under `strace -c -f`, give system calls per request.
"""
import argparse
import collections
import glob
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOKEN = "profile-token-000000000000000000000000000000"
BODY = ('{"name":"Profile %d","kind":"institution","country":"FR","city":"Lyon",'
        '"website":"https://example.org","email":"contact@example.org",'
        '"expertise":["mediation","heritage"],"description":"Created by the profile."}')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv, port, folder, timeout):
    env = dict(os.environ, ENTENTE_ADMIN_KEY=TOKEN)
    log = open(os.path.join(folder, "server.log"), "w")
    proc = subprocess.Popen(argv + ["serve", "--db", os.path.join(folder, "e.sqlite"), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit("the server did not answer /healthz")


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.counter = 0

    def get_by_id(self, ids):
        self.counter += 1
        return self.send("GET", "/v1/partners/" + ids[self.counter % len(ids)])

    def post(self, _ids):
        self.counter += 1
        return self.send("POST", "/v1/partners", BODY % self.counter)

    def healthz(self, _ids):
        return self.send("GET", "/healthz", auth=False)

    def send(self, method, path, body=None, auth=True):
        headers = {"Authorization": "Bearer " + TOKEN} if auth else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            sys.exit(f"{method} {path}: {response.status} {data[:200]!r}")
        return data


def self_costs(path):
    """Self instruction counts by object file and by function, from a callgrind dump."""
    by_object, by_function = collections.Counter(), collections.Counter()
    names = {"ob": {}, "fn": {}}
    current = {"ob": "?", "fn": "?"}
    skip_next = False
    for line in open(path, errors="replace"):
        m = re.match(r"^(c?)(ob|fn|fl|fi|fe)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            called, kind, ident, name = m.groups()
            if kind in ("ob", "fn"):
                table = names[kind]
                if name:
                    table[ident] = name
                if not called:
                    current[kind] = table.get(ident, "?")
            continue
        if line.startswith("calls="):
            skip_next = True  # the next cost line is the call's inclusive cost
            continue
        if line and (line[0].isdigit() or line[0] in "+-*"):
            if skip_next:
                skip_next = False
                continue
            parts = line.split()
            if len(parts) >= 2:
                cost = int(parts[-1])
                by_object[os.path.basename(current["ob"])] += cost
                by_function[current["fn"]] += cost
    return by_object, by_function


# What each request's instructions go to: inclusive counts of the functions
# that do each part (a mangled-name fragment; the largest match counts), and
# the self counts of the allocator and reference counting.
COMPONENTS = [
    ("parse", ["RequestParserV4next"]),
    ("route", ["RouterV5match"]),
    ("auth", ["AuthenticatorC12authenticate"]),
    ("SQLite", ["sqlite3_step"]),
    ("JSON", ["JSONParser", "4JSONAAO5write2to"]),
    ("response", ["ResponseSerializerO9serialize"]),
    ("access log", ["AccessLogC16requestCompleted", "AccessLogV16requestCompleted"]),
]
ALLOCATION = ("malloc", "free", "_int_malloc", "_int_free", "swift_allocObject", "swift_retain", "swift_release",
              "swift_bridgeObjectRetain", "swift_bridgeObjectRelease", "swift_deallocClassInstance", "_swift_release_dealloc")


def components(dump, by_function, requests):
    """Instructions per request by component (inclusive; they overlap where one calls another)."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", dump],
                          capture_output=True, text=True).stdout
    inclusive = collections.defaultdict(int)
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        cost, name = int(m.group(1).replace(",", "")), m.group(2)
        for component, fragments in COMPONENTS:
            if any(fragment in name for fragment in fragments):
                inclusive[component] = max(inclusive[component], cost)
    parts = [(component, inclusive.get(component, 0) / requests) for component, _ in COMPONENTS]
    parts.append(("malloc + refcounts", sum(cost for name, cost in by_function.items() if name in ALLOCATION) / requests))
    return parts


def seeded_client(port):
    """A client of the server on `port` after 200 partners were created, and 100 of their ids."""
    client = Client(port)
    for _ in range(200):
        client.post(None)
    return client, [p["id"] for p in json.loads(client.send("GET", "/v1/partners?limit=100"))["items"]]


def callgrind_profile(binary, requests, folder):
    port = free_port()
    out = os.path.join(folder, "callgrind.out")
    proc = start(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out + ".%p", binary], port, folder, 300)
    client, ids = seeded_client(port)
    results = {}
    for scenario in ("get_by_id", "post", "healthz"):
        call = getattr(client, scenario)
        for _ in range(50):  # warm caches and the code path
            call(ids)
        subprocess.run(["callgrind_control", "--zero", str(proc.pid)], check=True, capture_output=True)
        for _ in range(requests):
            call(ids)
        subprocess.run(["callgrind_control", "--dump=" + scenario, str(proc.pid)], check=True, capture_output=True)
        dumps = sorted(glob.glob(out + ".*"), key=os.path.getmtime)
        by_object, by_function = self_costs(dumps[-1])
        results[scenario] = (by_object, by_function, components(dumps[-1], by_function, requests))
    proc.terminate()
    proc.wait(60)
    return results


def syscall_profile(binary, requests, folder):
    port = free_port()
    proc = start([binary], port, folder, 30)
    client, ids = seeded_client(port)
    results = {}
    for scenario in ("get_by_id", "post", "healthz"):
        call = getattr(client, scenario)
        for _ in range(50):
            call(ids)
        trace = os.path.join(folder, scenario + ".strace")
        tracer = subprocess.Popen(["strace", "-c", "-f", "-o", trace, "-p", str(proc.pid)],
                                  stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # strace attaches to every thread
        for _ in range(requests):
            call(ids)
        tracer.send_signal(2)
        tracer.wait(30)
        counts = {}
        for line in open(trace):
            parts = line.split()
            if len(parts) >= 5 and parts[-1].isidentifier() and parts[-1] != "total" and parts[3].isdigit():
                counts[parts[-1]] = int(parts[3])
        results[scenario] = counts
    proc.terminate()
    proc.wait(30)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    folder = tempfile.mkdtemp(prefix="entente-profile-")
    try:
        profiles = callgrind_profile(binary, args.requests, folder)
        syscalls = syscall_profile(binary, args.requests, tempfile.mkdtemp(dir=folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    n = args.requests
    print("| scenario | instructions / request | by library (share) | syscalls / request |")
    print("| --- | ---: | --- | --- |")
    for scenario, (by_object, _, _) in profiles.items():
        total = sum(by_object.values())
        shares = ", ".join(f"{name} {100 * cost / total:.0f} %" for name, cost in by_object.most_common(5))
        calls = syscalls[scenario]
        total_calls = sum(calls.values())
        top_calls = ", ".join(f"{name} {count / n:.1f}" for name, count in sorted(calls.items(), key=lambda kv: -kv[1])[:6])
        print(f"| {scenario} | {total / n:,.0f} | {shares} | {total_calls / n:.1f}: {top_calls} |")
    print()
    print("| scenario | " + " | ".join(name for name, _ in COMPONENTS) + " | malloc + refcounts |")
    print("| --- |" + " ---: |" * (len(COMPONENTS) + 1))
    for scenario, (_, _, parts) in profiles.items():
        print(f"| {scenario} | " + " | ".join(f"{cost:,.0f}" for _, cost in parts) + " |")
    print()
    for scenario, (by_object, by_function, _) in profiles.items():
        total = sum(by_function.values())
        print(f"{scenario}: top functions (self instructions per request)")
        for name, cost in by_function.most_common(15):
            print(f"  {cost / n:>9,.0f}  {100 * cost / total:4.1f} %  {name[:110]}")
        print()


if __name__ == "__main__":
    main()
