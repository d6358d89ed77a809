"""How often a failing report names the learner's actual mistake, over the labelled corpus in
tests/corpus/mistakes.toml (buggy learner files in the book's, cs231n's and custom styles, and correct ones).

    python bench/diagnosis_rate.py [--show ID ...]

Prints one line per file (named / gradient only / missed / wrong cause) and the share of buggy files whose
report fails the right gradient and names the right mistake, with no wrong cause named anywhere."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "corpus"))

from corpus import entries, judge  # noqa: E402


def main(argv: list[str]) -> int:
    show = set(argv[argv.index("--show") + 1:]) if "--show" in argv else set()
    chosen = [e for e in entries() if not show or e.id in show]
    buggy = named = wrong = false_alarms = 0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in chosen:
            v = judge(entry, Path(tmp))
            if entry.correct:
                status = "clean" if v.ok else "FALSE ALARM " + ", ".join(v.said)
                false_alarms += not v.ok
            else:
                buggy += 1
                named += v.ok
                wrong += bool(v.wrong_causes)
                status = ("named" if v.ok else "WRONG CAUSE " + ", ".join(v.wrong_causes) if v.wrong_causes
                          else "gradient only: " + ", ".join(v.said) if v.failed_right_gradient else "MISSED " + ", ".join(v.said))
            print(f"{entry.id:40s} {status}")
            if show:
                print(v.text)
    if buggy:
        print(f"\nnamed the mistake: {named}/{buggy} = {named / buggy:.0%}; wrong cause named: {wrong}; "
              f"false alarms on correct files: {false_alarms}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
