"""Recording what the sandbox refuses a learner's code, even where the code catches the refusal.

An audit hook (which no Python code can remove) sees every ``open``, listing and removal the child makes.
A read is tried again by the hook itself: if the kernel refuses it, the attempt is written at once, one
line per path, to a file the grader made beside the child's folder and the child opened before confinement
(so the record is outside anything the learner can write, and is made before their ``except`` runs).  A write outside the child's folder is
always refused, so it is recorded without being tried.  The system's own folders (/proc, /usr, ...) are not
recorded: libraries read them, and no learner's grade lives there.
"""

from __future__ import annotations

import os
import sys

#: At most this many refusals are recorded per child: enough to name what was tried, too few to flood.
MAX_EVENTS = 20
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
#: The system's own trees: libraries probe them on import (torch reads /proc/self/maps, JAX lists PCI
#: devices), and nothing of a classmate's or the grader's lives there.
_SYSTEM = ("/proc/", "/sys/", "/dev/", "/etc/", "/usr/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/run/")


#: The audit events that name a path: opening and listing are tried again; the rest change a file, and
#: outside the child's folder Landlock or seccomp refuses every one of them.
_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
                     "os.chown", "os.utime", "os.truncate", "os.link", "os.symlink", "shutil.rmtree"})


def _path(value) -> str | None:
    if isinstance(value, int):  # an already open descriptor
        return None
    try:
        path = os.fsdecode(os.fspath(value))
    except TypeError:
        return None
    return os.path.abspath(path)


def _is_write(mode, flags) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def watch(events_fd: int, workdir: str) -> None:
    """Install the hook; each refused access is appended to ``events_fd`` as ``read PATH`` or ``write PATH``."""
    write, open_, close, encode = os.write, os.open, os.close, os.fsencode
    workdir = os.path.abspath(workdir).rstrip(os.sep) + os.sep
    state = {"busy": False, "count": 0, "seen": set()}

    def record(kind: str, path: str) -> None:
        if (kind, path) in state["seen"] or state["count"] >= MAX_EVENTS:
            return
        state["seen"].add((kind, path))
        state["count"] += 1
        try:
            write(events_fd, encode(f"{kind} {path}\n".replace("\r", " ")))
        except OSError:
            pass

    def refused_read(path: str) -> bool:
        try:
            close(open_(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY))
        except PermissionError:
            return True
        except OSError:
            return False
        return False

    def hook(event: str, args: tuple) -> None:
        if state["busy"] or event not in _EVENTS:
            return
        state["busy"] = True
        try:
            path = _path(args[0]) if args else None
            if path is None or path.startswith(workdir) or path + os.sep == workdir or path.startswith(_SYSTEM):
                return
            if event == "open" and not _is_write(args[1] if len(args) > 1 else None, args[2] if len(args) > 2 else 0):
                if refused_read(path):
                    record("read", path)
            elif event in ("os.listdir", "os.scandir"):
                if refused_read(path):
                    record("list", path)
            else:
                record("write", path)
        except Exception:  # the hook must never break the learner's code
            pass
        finally:
            state["busy"] = False

    sys.addaudithook(hook)
