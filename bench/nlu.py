"""NLU latency through the client: Rasa parse alone, and the full classify (language, dates, crisis).

Each runs one request at a time, then with 20 requests in flight. The messages
are the held-out splits' (or a built-in handful), a different slice for every
row: the server keeps the e5 vectors of texts it has seen, so a row that
repeated an earlier row's texts would time that cache, not a parse. The last
row repeats the first row's texts on purpose, to show what the cache gives. A Rasa server is started on
FRONTDOOR_NLU_URL if none answers there, and stopped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from bench.common import mean, percentile, print_table, write_results
from core.settings import PROJECT_ROOT, load_settings
from nlu.rasa_client import RasaClassifier
from nlu.rasa_venv import RasaSetupError

SAMPLES = (
    "my landlord gave me a section 21 and says get out by 15 january",
    "Komornik przyszedł w sprawie council tax, co mam zrobić?",
    "মালিক তিন মাসের বেতন দেয়নি",
    "صاحب البيت بدو يطلعني من البيت",
    "Мене звільнили без попередження",
    "mera universal credit band ho gaya hai",
)


def _messages(limit: int) -> list[str]:
    from nlu.metrics import load_examples

    folder = PROJECT_ROOT / "nlu" / "eval" / "heldout"
    texts = [e.text for e in load_examples(folder)] if folder.exists() else []
    texts = texts or list(SAMPLES)
    if limit <= len(texts):  # spread over every file, so every language and both splits are in the sample
        return [texts[i * len(texts) // limit] for i in range(limit)]
    return [texts[i % len(texts)] for i in range(limit)]


async def _measure(call: Callable[[str], Awaitable[bool]], texts: list[str], concurrency: int) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    limiter = anyio.CapacityLimiter(concurrency)

    async def one(text: str) -> None:
        nonlocal failures
        async with limiter:
            started = time.perf_counter()
            ok = await call(text)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += not ok

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        for text in texts:
            group.start_soon(one, text)
    elapsed = time.perf_counter() - started
    return {"requests": len(texts), "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
            "mean_ms": mean(latencies), "per_s": len(texts) / elapsed, "fallbacks": failures}


async def _bench(client: RasaClassifier, texts: list[str]) -> list[dict[str, Any]]:
    today = dt.date.today()

    async def parse(text: str) -> bool:
        return await client.parse(text) is not None

    async def classify(text: str) -> bool:
        return (await client.classify(text, language="en", today=today)).source != "fallback"

    await client.parse("warm up")
    await anyio.to_thread.run_sync(client.warm_up)
    plan = [("parse", parse, 1), ("parse", parse, 20), ("classify", classify, 1), ("classify", classify, 20)]
    size = len(texts) // len(plan)
    rows = []
    for number, (what, call, concurrency) in enumerate(plan):
        result = await _measure(call, texts[number * size:(number + 1) * size], concurrency)
        rows.append({"what": what, "concurrency": concurrency, **result})
    result = await _measure(parse, texts[:size], 1)
    rows.append({"what": "parse, texts seen before (e5 cache)", "concurrency": 1, **result})
    await client.aclose()
    return rows


def run(requests: int = 300) -> list[dict[str, Any]]:
    """``requests`` new messages per row (four rows), then the first row's again."""
    from nlu.cli import ensure_server

    settings = load_settings()
    try:
        supervisor = ensure_server(settings.nlu_url)
    except RasaSetupError as exc:
        print(f"nlu bench skipped: {exc}")
        return []
    try:
        client = RasaClassifier(settings.nlu_url, timeout=max(settings.nlu_timeout_seconds, 5.0))
        return anyio.run(_bench, client, _messages(requests * 4))
    finally:
        if supervisor is not None:
            supervisor.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300, help="new messages per row")
    args = parser.parse_args()
    rows = run(args.requests)
    print_table("NLU: latency through the client (ms)", rows)
    if rows:
        print(f"results: {write_results('nlu', rows)}")


if __name__ == "__main__":
    main()

