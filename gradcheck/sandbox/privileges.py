"""Dropping every capability the confined child holds: a grader run as root forks children that are root too,
and root's capabilities reach past Landlock (device nodes, other users' files' metadata, raw sockets).

The child keeps its user id, so it still reads what the grader's user may read (a submission in a 0700 home
folder) where Landlock allows it; what an owner may do without capabilities (change its own files' mode or
times) the seccomp filter refuses.  Securebits are locked first, so no later step can bring root's powers back.
"""

from __future__ import annotations

import ctypes
import platform

_PR_CAPBSET_DROP, _PR_SET_SECUREBITS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 24, 28, 47, 4
#: noroot, no_setuid_fixup and no_cap_ambient_raise, each with its lock; keep_caps off and locked.
_SECUREBITS = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40 | 0x80
_CAPSET = {"x86_64": 126, "aarch64": 91}
_VERSION_3 = 0x20080522
_LAST_CAP = 63


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_all() -> bool:
    """Empty the bounding, ambient, effective, permitted and inheritable sets; whether none is left."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    libc.prctl(_PR_SET_SECUREBITS, _SECUREBITS, 0, 0, 0)  # fails harmlessly without CAP_SETPCAP
    for cap in range(_LAST_CAP + 1):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the kernel's last capability
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    number = _CAPSET.get(platform.machine())
    if number is not None:
        libc.syscall.restype = ctypes.c_long
        header, data = _Header(_VERSION_3, 0), (_Data * 2)()
        libc.syscall(ctypes.c_long(number), ctypes.byref(header), ctypes.byref(data))
    return effective() == 0


def effective() -> int | None:
    """This process's effective capability set as a number (None where /proc does not say)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError):
        return None
    return None
