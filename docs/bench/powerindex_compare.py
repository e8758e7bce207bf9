#!/usr/bin/env python3
"""Runs the entente-bench games through the PyPI package `powerindex` and
prints its time against ours.

    swift run -c release entente-bench --games /tmp/games.json
    pip install powerindex
    python3 docs/bench/powerindex_compare.py /tmp/games.json [--timeout 60]

powerindex.Game(quota, weights) is a weighted game (a coalition wins when its
weight reaches `quota`); calc_banzhaf() and calc_shapley_shubik() fill
`game.banzhaf` and `game.shapley_shubik`. Each index runs in its own child
process under a timeout and a 6 GiB address-space limit (its tables have one
Python int per unit of total weight), reported as "> N s" or "out of memory".
Entente computes both indices in one call, so the ratio compares that call
with powerindex's two computations added up (a timeout counts as its limit).
"""
import argparse
import json
import multiprocessing as mp
import resource
import time


def run_index(weights, quota, method, connection):
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
    try:
        import powerindex
        game = powerindex.Game(quota, weights=weights)
        started = time.perf_counter()
        getattr(game, "calc_" + method)()
        elapsed = time.perf_counter() - started
        connection.send(("ok", elapsed, getattr(game, method)))
    except MemoryError:
        connection.send(("out of memory", None, None))


def timed(weights, quota, method, timeout):
    """(status, seconds, values) of one powerindex computation in a child process."""
    receiver, sender = mp.Pipe(duplex=False)
    child = mp.Process(target=run_index, args=(weights, quota, method, sender))
    child.start()
    if not receiver.poll(timeout):
        child.kill()
        child.join()
        return f"> {timeout:g} s", None, None
    status, elapsed, values = receiver.recv()
    child.join()
    return status, elapsed, values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("games")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    with open(args.games) as handle:
        games = json.load(handle)
    print("| game | n | entente, both indices | powerindex banzhaf | powerindex shapley_shubik | ratio (powerindex both / entente) | max abs diff |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for game in games:
        weights = [int(w) for w in game["weights"]]
        cells, total, complete, diffs = [], 0.0, True, []
        for method in ("banzhaf", "shapley_shubik"):
            status, elapsed, values = timed(weights, int(game["quota"]), method, args.timeout)
            if status == "ok":
                cells.append(f"{elapsed * 1000:.1f} ms")
                total += elapsed
                diffs.append(max(abs(a - b) for a, b in zip(values, game[method])))
            else:
                cells.append(status)
                complete = False
                total += args.timeout if status.startswith(">") else 0
        ms = game["ms"]
        if complete:
            ratio = f"{total * 1000 / ms:.0f}×"
        elif total > 0:
            ratio = f"> {total * 1000 / ms:.0f}×"
        else:
            ratio = "–"
        diff = f"{max(diffs):.1e}" if diffs else "–"
        print(f"| {game['name']} | {len(weights)} | {ms:.1f} ms | {cells[0]} | {cells[1]} | {ratio} | {diff} |", flush=True)


if __name__ == "__main__":
    main()
