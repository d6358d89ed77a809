"""The hostile set: every exploit ends as a failed check or exit 2 with a clear sentence, never a crash or hang."""

import os
import pytest

from gradcheck.verify import Options, verify_file

FAST = Options(timeout=2.0, memory_mb=1024)


def problem_text(report):
    notes = [report.problem] + [r.problem for r in report.results] + [c.problem for r in report.results for c in r.checks]
    notes += [n for r in report.results for c in r.checks for n in c.diagnoses]
    return " ".join(n.render("en") for n in notes if n is not None)


@pytest.mark.parametrize(
    "name, status, phrase",
    [
        ("hang.py", 1, "more than 2 s of processor time"),
        ("memory_bomb.py", 1, "MemoryError"),
        ("os_exit.py", 1, "ended the process"),
        ("sys_exit.py", 1, "SystemExit"),
        ("keyboard_interrupt.py", 1, "KeyboardInterrupt"),
        ("segfault.py", 1, "crashed (SIGSEGV)"),
        ("patched_allclose.py", 1, ""),
        ("imports_gradcheck.py", 2, "gradcheck cannot be imported"),
        ("rigged_object.py", 1, "not numeric"),
        ("fake_report.py", 1, "ended the process"),
        ("exit_at_import.py", 2, "ended the process"),
        ("syntax_error.py", 2, "syntax error at line 2"),
        ("not_utf8.py", 2, "not UTF-8"),
        ("empty.py", 2, "is empty"),
        ("nothing.py", 2, "defines nothing gradcheck can check"),
        ("returns_none.py", 1, "is missing"),
        ("returns_list.py", 1, "returned as a list"),
        ("wrong_shape.py", 1, "has shape [4, 1]"),
        ("nan.py", 1, "NaN"),
    ],
)
def test_hostile_file(hostile_dir, name, status, phrase):
    report = verify_file(str(hostile_dir / name), FAST)
    assert report.status == status
    assert phrase in problem_text(report)


def test_a_float16_gradient_is_judged_at_its_own_precision_and_says_so(hostile_dir):
    report = verify_file(str(hostile_dir / "float16.py"), FAST)
    notes = [n.render("en") for r in report.results for c in r.checks for n in c.notes if n.key == "precision.judged_at"]
    assert report.status == 0 and notes and "float16" in notes[0]


def test_missing_file_is_a_usage_error():
    report = verify_file("no/such/file.py")
    assert report.status == 2 and "no such file" in problem_text(report)


def test_fake_report_is_shown_as_output_and_never_believed(hostile_dir):
    report = verify_file(str(hostile_dir / "fake_report.py"), FAST)
    assert "ALL TESTS PASSED" in report.output and '"score": 100' in report.output
    assert not report.passed


def test_next_target_still_runs_after_a_crash(tmp_path):
    src = tmp_path / "two.py"
    src.write_text(
        "import os, numpy as np\n"
        "class Relu:\n"
        "    def forward(self, x):\n        return np.maximum(x, 0)\n"
        "    def backward(self, dout):\n        os._exit(3)\n"
        "class Tanh:\n"
        "    def forward(self, x):\n        self.y = np.tanh(x)\n        return self.y\n"
        "    def backward(self, dout):\n        return dout * (1 - self.y**2)\n",
        encoding="utf-8",
    )
    report = verify_file(str(src), FAST)
    results = {r.target: r for r in report.results}
    assert not results["Relu"].passed and "exit status 3" in results["Relu"].problem.render("en")
    assert results["Tanh"].passed


def test_child_cannot_write_outside_its_working_directory_by_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "writer.py"
    src.write_text("open('dropped.txt', 'w').write('x')\nclass Tanh:\n    pass\n", encoding="utf-8")
    verify_file(str(src), FAST)
    assert not os.path.exists(tmp_path / "dropped.txt")


def test_environment_is_scrubbed(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET", "s3cret")
    src = tmp_path / "env.py"
    src.write_text("import os\nprint('SECRET=' + os.environ.get('GRADER_SECRET', 'none'))\n", encoding="utf-8")
    report = verify_file(str(src), FAST)
    assert "SECRET=none" in report.output


def test_learner_code_cannot_reach_a_server_on_this_machine(tmp_path):
    """Where the kernel allows a private network namespace (root, or unprivileged user namespaces), the child has none."""
    import socket
    import threading

    from gradcheck.sandbox.runner import Limits, Session

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(_accept(server)))
    thread.start()
    src = tmp_path / "net.py"
    src.write_text(
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'secret answers')\n"
        "    print('CONNECTED')\n"
        "except OSError as exc:\n"
        "    print('BLOCKED', exc)\n",
        encoding="utf-8",
    )
    session = Session(src.read_text(encoding="utf-8"), "net.py", Limits(timeout=3))
    session.start()
    isolation = session.isolation
    output = session.close()
    thread.join()
    server.close()
    if "netns" not in isolation:
        pytest.skip(f"this kernel does not allow a private network namespace here (isolation: {isolation})")
    assert "BLOCKED" in output and accepted == [None]


def _accept(server):
    try:
        conn, _ = server.accept()
        conn.close()
        return "connection"
    except OSError:
        return None
