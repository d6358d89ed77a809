"""A seccomp filter for the confined child: the system calls a NumPy layer never needs fail with EPERM.

Landlock confines what the child may read and write, not a file's metadata, devices, sockets or programs
run from memory.  This filter refuses, for the child and everything it starts: running any program
(``execve``, ``execveat``, ``memfd_create``), metadata changes (``chmod``, ``chown``, times, extended
attributes), device nodes, sockets, tracing other processes, the kernel keyring, System V IPC (whose memory
outlives a process), new namespaces, mounts and the calls only an administrator makes.  Built as classic BPF
by hand (no library), for x86_64 and aarch64; elsewhere it is not installed and the isolation says so.
"""

from __future__ import annotations

import ctypes
import errno
import platform

_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _JSET_K, _RET_K = 0x20, 0x15, 0x45, 0x06
_NR, _ARCH, _ARG0 = 0, 4, 16
_X32_BIT = 0x40000000
#: clone(2) flags that make a new namespace: refused, so the child cannot leave its own.
_CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

#: Per architecture: its audit number, its system call numbers by name, and clone's and clone3's numbers.
_ARCHES = {
    "x86_64": (0xC000003E, {
        "execve": 59, "execveat": 322, "memfd_create": 319, "mknod": 133, "mknodat": 259, "chmod": 90, "fchmod": 91,
        "fchmodat": 268, "fchmodat2": 452, "chown": 92, "fchown": 93, "lchown": 94, "fchownat": 260, "setxattr": 188,
        "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199,
        "setxattrat": 463, "removexattrat": 466, "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261,
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "keyctl": 250, "add_key": 248,
        "request_key": 249, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272,
        "setns": 308, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "kexec_load": 246,
        "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176, "socket": 41,
        "io_uring_setup": 425, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
        "fspick": 433, "mount_setattr": 442, "name_to_handle_at": 303, "open_by_handle_at": 304, "acct": 163,
        "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172,
        "ioperm": 173, "settimeofday": 164, "clock_settime": 227, "adjtimex": 159, "quotactl": 179,
        "personality": 135, "shmget": 29, "shmat": 30, "shmctl": 31, "msgget": 68, "semget": 64,
    }, 56, 435),
    "aarch64": (0xC00000B7, {
        "execve": 221, "execveat": 281, "memfd_create": 279, "mknodat": 33, "fchmod": 52, "fchmodat": 53,
        "fchmodat2": 452, "fchown": 55, "fchownat": 54, "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7,
        "removexattr": 14, "lremovexattr": 15, "fremovexattr": 16, "setxattrat": 463, "removexattrat": 466,
        "utimensat": 88, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "keyctl": 219,
        "add_key": 217, "request_key": 218, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "unshare": 97, "setns": 268, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "kexec_load": 104,
        "kexec_file_load": 294, "init_module": 105, "finit_module": 273, "delete_module": 106, "socket": 198,
        "io_uring_setup": 425, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
        "fspick": 433, "mount_setattr": 442, "name_to_handle_at": 264, "open_by_handle_at": 265, "acct": 89,
        "swapon": 224, "swapoff": 225, "reboot": 142, "sethostname": 161, "setdomainname": 162,
        "settimeofday": 170, "clock_settime": 112, "adjtimex": 171, "quotactl": 60, "personality": 92,
        "shmget": 194, "shmat": 196, "shmctl": 195, "msgget": 186, "semget": 190,
    }, 220, 435),
}


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def refused(machine: str | None = None) -> dict[str, int]:
    """The refused system calls of this machine's architecture (or ``machine``), by name."""
    arch = _ARCHES.get(machine or platform.machine())
    return {} if arch is None else dict(arch[1])


def program(machine: str | None = None) -> list[tuple[int, int, int, int]] | None:
    """The filter as (code, jt, jf, k) instructions, or None on an architecture it does not know."""
    arch = _ARCHES.get(machine or platform.machine())
    if arch is None:
        return None
    audit, numbers, clone, clone3 = arch
    deny = _RET_ERRNO | errno.EPERM
    blocked = sorted(set(numbers.values()))
    out: list[tuple[int, int, int, int]] = [(_LD_W_ABS, 0, 0, _ARCH), (_JEQ_K, 1, 0, audit), (_RET_K, 0, 0, deny),
                                            (_LD_W_ABS, 0, 0, _NR)]
    if audit == 0xC000003E:  # the x32 ABI's numbers would pass the comparisons below
        out.append((_JSET_K, 0, 1, _X32_BIT))
        out.append((_RET_K, 0, 0, deny))
    # clone3 passes its flags in memory a filter cannot read: "not implemented" makes the C library use clone
    out += [(_JEQ_K, 0, 1, clone3), (_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS)]
    out += [(_JEQ_K, 0, 3, clone), (_LD_W_ABS, 0, 0, _ARG0), (_JSET_K, 0, 1, _CLONE_NAMESPACES), (_RET_K, 0, 0, deny),
            (_LD_W_ABS, 0, 0, _NR)]
    for i, nr in enumerate(blocked):
        out.append((_JEQ_K, len(blocked) - i, 0, nr))  # to the deny at the end
    out += [(_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, deny)]
    return out


def install() -> bool:
    """Install the filter on this process (no_new_privs must be set); whether it is in place."""
    instructions = program()
    if instructions is None:
        return False
    array = (_Filter * len(instructions))(*[_Filter(*i) for i in instructions])
    prog = _Program(len(instructions), array)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
