"""The search for the edit that fixes a learner's gradient, over the learner corpus of tests/feedback: how often the
report names the fix at the labelled line, how often a correct file fails, and what the search costs.

    python bench/fix_search.py [--runs 3]

Per file: named / other fix (a verified edit elsewhere) / not named, the edits tried, and the median time of
`verify` with the search against the same run without it (diagnosis none), over --runs runs each."""

from __future__ import annotations

import statistics
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "feedback"))

from learners_corpus import FOLDER, judge, learners  # noqa: E402

from gradcheck.verify import Options  # noqa: E402


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    base = Options(run_dir=str(FOLDER))
    named = buggy = false_alarms = other = 0
    costs, ratios = [], []
    for learner in learners():
        with_search = [judge(learner, options=base) for _ in range(runs)]
        without = [judge(learner, options=replace(base, diagnosis="none")) for _ in range(runs)]
        judged = with_search[0]
        t_with = statistics.median(j.seconds for j in with_search)
        t_without = statistics.median(j.seconds for j in without)
        if learner.correct:
            status = "clean" if judged.ok else "FALSE ALARM"
            false_alarms += not judged.ok
        else:
            buggy += 1
            named += judged.named
            other += bool(judged.fixes) and not judged.named
            status = "named" if judged.named else "other fix" if judged.fixes else "not named"
            costs.append(t_with - t_without)
            ratios.append(t_with / t_without)
        print(f"{learner.path:32s} {status:10s} verify {t_without:6.2f} s, with the search {t_with:6.2f} s")
    print(f"\nnamed at the learner's line: {named}/{buggy} = {named / buggy:.0%}; another verified fix: {other}; "
          f"correct files failed: {false_alarms}")
    print(f"search cost per buggy file: median {statistics.median(costs):.2f} s, worst {max(costs):.2f} s; "
          f"verify with it / without it: median {statistics.median(ratios):.2f}x, worst {max(ratios):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
