"""`make bench`: measurements with their baselines, side by side. Speed targets live here, not in tests."""

import json
import subprocess
import sys


def in_fresh_process(module: str, function: str, *args) -> dict:
    """``module.function(*args)`` run in a new interpreter (its own peak memory, a small heap for the GC);
    the function returns something JSON can carry, printed as the last line."""
    code = f"import json, {module} as m; print(json.dumps(m.{function}(*{args!r})))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])
