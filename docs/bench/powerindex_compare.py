#!/usr/bin/env python3
"""Runs the entente-bench games through the PyPI package `powerindex` and
prints its time against ours, index by index.

    swift run -c release entente-bench --games /tmp/games.json
    pip install powerindex
    python3 docs/bench/powerindex_compare.py /tmp/games.json [--timeout 60]

powerindex.Game(quota, weights) is a weighted game (a coalition wins when its
weight reaches `quota`); calc_banzhaf() and calc_shapley_shubik() fill
`game.banzhaf` and `game.shapley_shubik`. Each index runs in its own child
process under a timeout and a 6 GiB address-space limit (its tables have one
Python int per unit of total weight), reported as "> N s" or "out of memory".
Each ratio is powerindex's time for an index over Entente's for that index
alone (a timeout counts as its limit, hence "> N×"); the last ratio is
powerindex's two computations added up over Entente's one call for both.
The differences compare each index with Entente's value for it alone and in
the call for both.
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
    print("| game | n | banzhaf: entente | powerindex | ratio | shapley_shubik: entente | powerindex | ratio "
          "| both: entente | ratio | max abs diff |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for game in games:
        weights = [int(w) for w in game["weights"]]
        cells, total, complete, diffs = [], 0.0, True, []
        for method in ("banzhaf", "shapley_shubik"):
            ours = game["ms_" + method]
            status, elapsed, values = timed(weights, int(game["quota"]), method, args.timeout)
            if status == "ok":
                theirs = f"{elapsed * 1000:.1f} ms"
                total += elapsed
                ratio = f"{elapsed * 1000 / ours:.0f}×"
                diffs += [max(abs(a - b) for a, b in zip(values, game[key])) for key in (method, "both_" + method)]
            else:
                theirs = status
                complete = False
                seconds = args.timeout if status.startswith(">") else 0
                total += seconds
                ratio = f"> {seconds * 1000 / ours:.0f}×" if seconds else "–"
            cells += [f"{ours:.2f} ms", theirs, ratio]
        ms = game["ms"]
        if complete:
            ratio = f"{total * 1000 / ms:.0f}×"
        elif total > 0:
            ratio = f"> {total * 1000 / ms:.0f}×"
        else:
            ratio = "–"
        diff = f"{max(diffs):.1e}" if diffs else "–"
        print(f"| {game['name']} | {len(weights)} | {' | '.join(cells)} | {ms:.2f} ms | {ratio} | {diff} |", flush=True)

if __name__ == "__main__":
    main()
