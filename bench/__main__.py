"""Run the benchmarks and print one table; also write bench-results/bench.json."""

import json
import sys
from pathlib import Path

from bench import survey_import


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    table = survey_import.run(rows)
    width = max(len(r["figure"]) for r in table)
    print(f"{'figure':<{width}}  {'labelapp':>10}  {'baseline':>10}  {'ratio':>6}  target")
    for r in table:
        print(f"{r['figure']:<{width}}  {r['value']:>10}  {r['baseline']:>10}  {r['ratio']:>6}  {r['target']}")
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(table, indent=1, ensure_ascii=False))
    print(f"\n(written to {out / 'bench.json'}; the web, scoring and query-count figures come with the "
          "benchmark issue)")


if __name__ == "__main__":
    main()
