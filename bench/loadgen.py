"""A small load generator, run in its own process: N GET requests over C keep-alive connections.

python -m bench.loadgen URL REQUESTS CONCURRENCY [COOKIE [START]]  ->  one JSON line: count, errors, seconds,
latencies (ms)

URL may be BASE@FILE: the paths in FILE (one a line) are requested in turn after BASE from the START-th on, each
at most once if there are enough (pages not cached before); the warm-up requests take the last ones.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def run(url: str, requests: int, concurrency: int, cookie: str = "", start: int = 0) -> dict:
    if "@" in url:
        url, listed = url.split("@", 1)
        with open(listed, encoding="utf-8") as lines:
            paths = [line.strip() for line in lines if line.strip()]
    else:
        paths = None
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    paths = paths or [path]
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(start, start + requests))

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        mine, failed = [], []
        while True:
            with lock:
                number = next(counter, None)
                if number is None:
                    break
            started = time.perf_counter()
            connection.request("GET", paths[number % len(paths)], headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                failed.append(response.status)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    # One request per connection first, unmeasured, so that connection set-up and first-request work don't count.
    warm = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    for number in range(concurrency):
        warm.request("GET", paths[-1 - number % len(paths)], headers={"Cookie": cookie} if cookie else {})
        warm.getresponse().read()
    warm.close()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {"count": len(latencies), "errors": len(errors), "error_statuses": sorted(set(errors)),
            "seconds": seconds, "latencies": latencies}


if __name__ == "__main__":
    url, count, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(run(url, count, concurrency, sys.argv[4] if len(sys.argv) > 4 else "",
                         int(sys.argv[5]) if len(sys.argv) > 5 else 0)))
