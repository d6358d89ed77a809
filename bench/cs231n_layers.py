"""Wall time of `gradcheck verify cs231n/layers.py` on a finished cs231n layers file (the test fixture),
run from the assignment folder as a learner would.

python bench/cs231n_layers.py
Baseline measured in the same run: `python -c pass` (interpreter start-up).  Target: under 10 s on two cores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _timing import median_time

ASSIGNMENT = Path(__file__).resolve().parent.parent / "tests" / "realcode" / "assignment"


def main() -> None:
    runs = 5
    start, _ = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
    cmd = [sys.executable, "-m", "gradcheck", "verify", "cs231n/layers.py", "--no-shrink"]
    whole, _ = median_time(lambda: subprocess.run(cmd, cwd=ASSIGNMENT, check=True, capture_output=True), runs)
    print(f"python -c pass: {start:.3f} s (median of {runs})")
    print(f"verify cs231n/layers.py (12 pairs and losses, 16 cases): {whole:.2f} s, {whole / start:.0f}x start-up")


if __name__ == "__main__":
    main()
