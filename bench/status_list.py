"""Status lists at bench size: signing a list once per change, then serving it from memory or as a 304.

Each figure runs in its own fresh process (``bench.in_fresh_process``) against the bench database, through the
Flask test client (no server): what is measured is the app's own work per request.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROUNDS = 30


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[-1] * 1000, 2) if len(samples) > 1 else samples[0] * 1000


def measure(url: str, instance: str) -> dict:
    from bench.dataset import criteria_folder, make_app
    from labelapp.registry import trust

    app = make_app(url, Path(instance), criteria_folder(Path(instance)))
    client = app.test_client()
    path = "/api/v1/status-lists/revocation"
    signed, cached, not_modified = [], [], []
    etag = client.get(path).headers["ETag"]  # warm the imports and the JSON-LD contexts
    for _ in range(ROUNDS):
        trust._signed_lists.clear()  # as after a change: the list is read, encoded and signed again
        began = time.perf_counter()
        response = client.get(path)
        signed.append(time.perf_counter() - began)
        assert response.status_code == 200
        began = time.perf_counter()
        assert client.get(path).status_code == 200
        cached.append(time.perf_counter() - began)
        began = time.perf_counter()
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        not_modified.append(time.perf_counter() - began)
    return {"signed": _p95(signed), "cached": _p95(cached), "not_modified": _p95(not_modified)}


def run(url: str, instance: Path, labels: int, backend: str) -> list[dict]:
    from bench import in_fresh_process

    result = in_fresh_process("bench.status_list", "measure", url, str(instance))
    return [{"figure": f"[{backend}] revocation status list at {labels:,} labels, p95 (ms): signed after a change",
             "value": result["signed"], "target": "", "met": None},
            {"figure": f"[{backend}] revocation status list, p95 (ms): unchanged (from memory) / 304",
             "value": f"{result['cached']} / {result['not_modified']}", "target": "≤ 25 ms",
             "met": max(result["cached"], result["not_modified"]) <= 25}]
