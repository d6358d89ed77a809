"""The red team's attacks through root's powers, each kept as a regression test: the child holds no capability
and the seccomp filter refuses what Landlock does not cover (metadata, devices, sockets, programs run from
memory, System V shared memory, new namespaces, tracing, the keyring)."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from gradcheck.sandbox import landlock, seccomp
from gradcheck.verify import Options, verify_file

pytestmark = pytest.mark.skipif(not seccomp.program(), reason="the seccomp filter is built for x86_64 and aarch64 only")

PROBE = '''
import ctypes, os, socket, stat, subprocess
libc = ctypes.CDLL(None, use_errno=True)

def attempt(name, fn):
    try:
        result = fn()
    except Exception as exc:
        print(name, "REFUSED", type(exc).__name__)
        return
    if isinstance(result, int) and result < 0:
        print(name, "REFUSED", ctypes.get_errno())
    else:
        print(name, "ALLOWED", result)

VICTIM, SOCKET, WORK = {victim!r}, {socket_path!r}, os.environ["TMPDIR"]
attempt("chmod", lambda: os.chmod(VICTIM, 0o4755))
attempt("chown", lambda: os.chown(VICTIM, 0, 0))
attempt("utime", lambda: os.utime(VICTIM, (0, 0)))
attempt("setxattr", lambda: os.setxattr(VICTIM, "user.owned", b"1"))
attempt("mknod", lambda: os.mknod(os.path.join(WORK, "kmsg"), stat.S_IFCHR | 0o600, os.makedev(1, 11)))
attempt("fifo_chmod", lambda: (open(os.path.join(WORK, "mine"), "w").close(), os.chmod(os.path.join(WORK, "mine"), 0o4777)))
attempt("unix_socket", lambda: socket.socket(socket.AF_UNIX).connect(SOCKET))
attempt("inet_socket", lambda: socket.socket(socket.AF_INET))
attempt("memfd", lambda: os.memfd_create("elf"))
attempt("program", lambda: subprocess.run(["/bin/true"]).returncode)
attempt("shmget", lambda: libc.shmget(0, 1 << 20, 0o1000 | 0o600))
attempt("ptrace", lambda: libc.ptrace(0, 0, None, None))
attempt("keyctl", lambda: libc.syscall(250 if os.uname().machine == "x86_64" else 219, 0, 0, 0, 0))
attempt("unshare_user", lambda: libc.unshare(0x10000000))
attempt("capabilities", lambda: [line.split()[1] for line in open("/proc/self/status") if line.startswith("CapEff")][0])

class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx
'''

ATTACKS = ("chmod", "chown", "utime", "setxattr", "mknod", "fifo_chmod", "unix_socket", "inet_socket", "memfd", "program",
           "shmget", "ptrace", "keyctl", "unshare_user")


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    root = tmp_path_factory.mktemp("privileges")
    victim = root / "classmate.py"
    victim.write_text("x = 1\n")
    victim.chmod(0o644)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "docker.sock"))
    server.listen(1)
    folder = root / "student"
    folder.mkdir()
    (folder / "layer.py").write_text(PROBE.format(victim=str(victim), socket_path=str(root / "docker.sock")))
    before = victim.stat()
    try:
        report = verify_file(str(folder / "layer.py"), Options(run_dir=str(folder), shrink=False, diagnosis="none"))
    finally:
        server.close()
    lines = {line.split()[0]: line for line in report.output.splitlines() if len(line.split()) >= 2}
    return report, lines, victim, before


@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_is_refused(probed, name):
    _, lines, *_ = probed
    assert name in lines and " REFUSED" in lines[name], lines.get(name)


def test_the_classmates_file_keeps_its_mode_owner_and_times(probed):
    _, _, victim, before = probed
    after = victim.stat()
    assert stat.S_IMODE(after.st_mode) == 0o644 and (after.st_uid, after.st_mtime_ns) == (before.st_uid, before.st_mtime_ns)
    assert not os.listxattr(victim) if hasattr(os, "listxattr") else True


def test_the_child_holds_no_capability_and_the_layer_is_still_checked(probed):
    report, lines, *_ = probed
    held = lines.get("capabilities", "")
    assert "REFUSED" in held or held.split()[-1].strip("'\"[]") in ("0000000000000000",), held
    assert report.results and report.results[0].passed, [str(r) for r in report.results]
    assert "seccomp" in report.isolation and "nocaps" in report.isolation


def test_the_filter_is_well_formed_for_both_architectures():
    for machine in ("x86_64", "aarch64"):
        instructions = seccomp.program(machine)
        assert instructions and len(instructions) < 4096
        assert all(0 <= jt < 256 and 0 <= jf < 256 for _, jt, jf, _ in instructions)
        refused = seccomp.refused(machine)
        assert {"execve", "memfd_create", "fchmodat", "socket", "shmget", "ptrace"} <= set(refused)
    assert seccomp.program("sparc") is None


def test_a_landlock_machine_still_confines_reads(tmp_path):
    if landlock.abi_version() < 1:
        pytest.skip("no Landlock on this kernel")
    secret = tmp_path / "key.txt"
    secret.write_text("answer")
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "f.py").write_text(f"try:\n    print('READ', open({str(secret)!r}).read())\nexcept OSError as e:\n    print('REFUSED')\n"
                                 "def f(x):\n    return x * x\n\ndef df_dx(x):\n    return 2 * x\n")
    report = verify_file(str(folder / "f.py"), Options(run_dir=str(folder), own_tree=False, shrink=False))
    assert "REFUSED" in report.output and "answer" not in report.output
    assert Path(secret).read_text() == "answer"


def test_a_package_marker_in_a_students_folder_does_not_open_the_folders_above_the_run_folder(tmp_path):
    if landlock.abi_version() < 1:
        pytest.skip("no Landlock on this kernel")
    key = tmp_path / "answer_key.py"
    key.write_text("ANSWER = 42\n")
    student = tmp_path / "class" / "s1"
    student.mkdir(parents=True)
    (student / "__init__.py").write_text("")
    (student / "f.py").write_text(f"try:\n    print('READ', open({str(key)!r}).read())\nexcept OSError:\n    print('REFUSED')\n"
                                  "def f(x):\n    return x * x\n\ndef df_dx(x):\n    return 2 * x\n")
    report = verify_file(str(student / "f.py"), Options(run_dir=str(student), shrink=False))
    assert "REFUSED" in report.output and "ANSWER" not in report.output
    assert report.results and report.results[0].passed  # the package still imports
