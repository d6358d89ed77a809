"""Every attack on grading found so far, graded in one batch with two jobs, followed by a correct submission
that must still get full marks.  Each attack must gain nothing and harm no one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.batch import grade_many
from gradcheck.sandbox import landlock, spawner

pytestmark = pytest.mark.skipif(landlock.abi_version() < 1, reason="these attacks are stopped by Landlock, which this kernel lacks")

EXERCISE = find_exercise("affine")
SOLUTION = EXERCISE.root / "solution.py"
CORRECT = SOLUTION.read_text(encoding="utf-8")
SECRET = "s3cr3t-instructor-token"

ATTACKS = {
    "read_solution": f"exec(open({str(SOLUTION)!r}).read())\n",
    "gc_reference": (
        "import gc\n"
        "found = [o for o in gc.get_objects() if isinstance(o, type) and str(getattr(o, '__module__', '')).startswith('gradcheck.')"
        " and o.__name__ in ('Affine', 'Exercise', 'BookLayer')]\n"
        "print('REFERENCE CLASSES FOUND', len(found))\n"
        "if found:\n"
        "    Affine = found[0]\n"
    ),
    "tamper": (
        "import glob, os\n"
        "for path in glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '*', 'affine.py')) + [{out!r}]:\n"
        "    try:\n"
        "        open(path, 'a').write('\\nraise SystemExit(0)\\n')\n"
        "        print('WROTE', path)\n"
        "    except OSError as exc:\n"
        "        print('REFUSED', type(exc).__name__)\n"
    ),
    "write_outside": "open({outside!r}, 'w').write('x')\n",
    "survivor": (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(30)\n"
        "    os._exit(0)\n"
        "time.sleep(0.2)\n"
    ),
    "fork_bomb": (
        "import os, time\n"
        "for _ in range(100):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
    ),
    "memory_helpers": (
        "import os, time\n"
        "import numpy as np\n"
        "for _ in range(3):\n"
        "    if os.fork() == 0:\n"
        "        hold = np.ones(170_000_000)  # 1.36 GB each, under the 2 GB per-process limit\n"
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
        "time.sleep(5)\n"
    ),
    "environment": (
        "import os\n"
        "print('ENV', dict(os.environ))\n"
        "for path in ('/proc/{grader}/environ', '/proc/{grader}/cmdline', '/proc/1/environ'):\n"
        "    try:\n"
        "        print('LEAKED', open(path, 'rb').read())\n"
        "    except OSError as exc:\n"
        "        print('REFUSED', type(exc).__name__)\n"
    ),
    "import_ours": (
        "import gc\n"
        "helpers = [o for o in gc.get_objects() if callable(o) and getattr(o, '__name__', '') == 'import_ours']\n"
        "for helper in helpers:\n"
        "    for name in ('gradcheck.layers.affine', 'gradcheck.grading.bank'):\n"
        "        try:\n"
        "            helper(name)\n"
        "            print('IMPORTED', name)\n"
        "        except Exception as exc:\n"
        "            print('REFUSED', type(exc).__name__)\n"
        "print('HELPERS', len(helpers))\n"
    ),
    "kill_grader": "import os, signal\ntry:\n    os.kill({grader}, signal.SIGKILL)\nexcept OSError as exc:\n    print('REFUSED', type(exc).__name__)\n",
    "garbage_frames": (
        "import os, time\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        os.write(fd, b'\\xff\\xff\\xff\\xff' + b'{{' * 64)\n"
        "    except OSError:\n"
        "        pass\n"
        "time.sleep(30)\n"
    ),
}


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _ours(pid: int) -> bool:
    """Whether ``pid`` descends from this process (the grader is a subreaper: a submission's orphans are
    reparented to it), so another gradcheck run on the same machine is never counted."""
    me, seen = os.getpid(), 0
    while pid > 1 and seen < 64:
        pid, seen = _parent(pid), seen + 1
        if pid == me:
            return True
    return False


def _survivors() -> list[int]:
    """Processes forked from a zygote of this test run (same command line) that are not a zygote themselves."""
    own = {z.process.pid for z in spawner._ZYGOTES.values()}
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in own:
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gradcheck.sandbox.zygote" in cmdline and _ours(int(entry)):
            found.append(int(entry))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    out, outside = root / "grades.json", root / "outside-the-sandbox.txt"
    out.write_text("the grader's own file\n")
    subs = root / "subs"
    names = []
    for name, source in ATTACKS.items():
        (subs / name).mkdir(parents=True)
        (subs / name / "affine.py").write_text(source.format(out=str(out), outside=str(outside), grader=os.getpid()))
        names.append(name)
    (subs / "symlink").mkdir()
    (subs / "symlink" / "affine.py").symlink_to(SOLUTION)
    (subs / "zz_correct").mkdir()
    (subs / "zz_correct" / "affine.py").write_text(CORRECT)
    paths = sorted(subs.iterdir())
    os.environ["GRADCHECK_TEST_INSTRUCTOR_TOKEN"] = SECRET
    started = time.monotonic()
    try:
        results = grade_many(EXERCISE, paths, jobs=2, timeout=2.0)
    finally:
        del os.environ["GRADCHECK_TEST_INSTRUCTOR_TOKEN"]
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 5
    while _survivors() and time.monotonic() < deadline:  # the pool's own zygotes exit when their workers do
        time.sleep(0.1)
    return {Path(r.submission).name: r for r in results}, out, outside, subs, elapsed


def _text(result) -> str:
    return "\n".join(t.output for t in result.tests)


def test_the_correct_submission_graded_after_every_attack_gets_full_marks(batch):
    results, *_ = batch
    correct = results["zz_correct"]
    assert correct.score == correct.max_score, _text(correct)


@pytest.mark.parametrize("name", [*ATTACKS, "symlink"])
def test_no_attack_scores(batch, name):
    results, *_ = batch
    assert results[name].score == 0, _text(results[name])


def test_reading_the_answer_key_is_refused_and_said(batch):
    results, *_ = batch
    assert "solution.py" in _text(results["read_solution"]) and "may read only their own files" in _text(results["read_solution"])


def test_the_reference_is_not_in_the_childs_memory(batch):
    results, *_ = batch
    assert "REFERENCE CLASSES FOUND 0" in _text(results["gc_reference"])


def test_no_other_file_is_changed(batch):
    _, out, outside, subs, _ = batch
    assert out.read_text() == "the grader's own file\n"
    assert not outside.exists()
    assert (subs / "zz_correct" / "affine.py").read_text() == CORRECT
    assert SOLUTION.read_text(encoding="utf-8") == CORRECT


def test_no_process_outlives_its_submission(batch):
    assert _survivors() == []


def test_the_graders_environment_and_memory_stay_private(batch):
    results, *_ = batch
    text = _text(results["environment"])
    assert "LEAKED" not in text and "REFUSED" in text
    assert SECRET not in text and "PYTEST_CURRENT_TEST" not in text


def test_the_grader_cannot_be_signalled(batch):
    results, *_ = batch
    assert "REFUSED" in _text(results["kill_grader"])  # and this test process is still here to say so


def test_garbage_on_every_descriptor_and_a_sleep_cost_only_that_submission(batch):
    results, *_, elapsed = batch
    assert results["garbage_frames"].score == 0
    assert elapsed < 60


def test_a_symlinked_submission_is_refused_with_a_reason(batch):
    results, *_ = batch
    assert "symbolic link" in _text(results["symlink"])


def test_our_own_import_helper_cannot_reach_the_reference_or_the_bank(batch):
    results, *_ = batch
    text = _text(results["import_ours"])
    assert "IMPORTED" not in text
