"""Where a parse spends its time: each pipeline component, timed over real messages.

Runs in the Rasa venv (``.venv-rasa/bin/python nlu/rasa_project/profile_parse.py MODEL MESSAGES.jsonl``).
Loads the model as ``rasa run`` does, wraps every graph component's ``process`` with a
timer, parses each message once to warm up and then ``--rounds`` times, and prints one
JSON object: per component p50/p99/mean in ms, and the whole parse. e5's vector cache is
emptied before every round, so the rounds time new texts; one more round without emptying it
times texts seen before ("whole parse, repeated text").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("messages", help="JSON lines with a 'text' field")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--dump", help="write each message's intent ranking here (JSON lines), to compare versions")
    args = parser.parse_args()

    from rasa.core.agent import Agent

    with open(args.messages, encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
    agent = Agent.load(args.model)
    graph_runner = agent.processor.graph_runner
    timings: dict[str, list[float]] = defaultdict(list)
    caches = []
    for node_name, node in graph_runner._instantiated_nodes.items():  # noqa: SLF001 (profiling only)
        cache = getattr(node._component, "_cache", None)  # noqa: SLF001 (the e5 featurizer's vector cache)
        if cache is not None:
            caches.append(cache)
        original = node._fn  # noqa: SLF001 (an unbound method: called as fn(component, **kwargs))

        def timed(*a: Any, _orig: Any = original, _name: str = node_name, **kw: Any) -> Any:
            start = time.perf_counter()
            try:
                return _orig(*a, **kw)
            finally:
                timings[_name].append((time.perf_counter() - start) * 1000)

        node._fn = timed  # noqa: SLF001

    def forget() -> None:
        for cache in caches:
            cache.clear()

    async def run() -> tuple[list[float], list[float]]:
        rankings = []
        for text in texts:
            parsed = await agent.parse_message(text)
            rankings.append({"text": text, "ranking": {r["name"]: r["confidence"] for r in parsed["intent_ranking"]}})
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as dump:
                dump.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rankings)
        timings.clear()
        whole: list[float] = []
        for _ in range(args.rounds):
            forget()
            for text in texts:
                start = time.perf_counter()
                await agent.parse_message(text)
                whole.append((time.perf_counter() - start) * 1000)
        repeated: list[float] = []
        saved = {name: len(values) for name, values in timings.items()}
        for text in texts:  # every text was just parsed: e5 answers from its cache
            start = time.perf_counter()
            await agent.parse_message(text)
            repeated.append((time.perf_counter() - start) * 1000)
        for name, count in saved.items():
            del timings[name][count:]
        return whole, repeated

    whole, repeated = asyncio.run(run())
    report = {
        name: {"p50": round(_pct(v, 0.5), 2), "p99": round(_pct(v, 0.99), 2), "mean": round(statistics.mean(v), 2)}
        for name, v in sorted(timings.items(), key=lambda kv: -statistics.mean(kv[1]))
    }
    report["whole parse (agent.parse_message)"] = {
        "p50": round(_pct(whole, 0.5), 2), "p99": round(_pct(whole, 0.99), 2), "mean": round(statistics.mean(whole), 2)}
    if caches:
        report["whole parse, repeated text (e5 cache)"] = {
            "p50": round(_pct(repeated, 0.5), 2), "p99": round(_pct(repeated, 0.99), 2),
            "mean": round(statistics.mean(repeated), 2)}
    print(json.dumps({"messages": len(texts), "rounds": args.rounds, "ms": report}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
