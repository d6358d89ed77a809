"""Control groups for one child, where the kernel lets us make them (root on cgroup v1, or a cgroup v2 subtree
with the controllers delegated): the whole process tree of a submission shares one memory limit and one
limit on the number of processes, so helpers forked to multiply memory, or a fork bomb, cost only that
submission.  The zygote makes them, lends one set to each child and takes it back when the grader says the
child has ended, so a batch makes only a few.  Best effort: where nothing can be made, the per-process limits
still hold."""

from __future__ import annotations

import os
import time

ROOT = "/sys/fs/cgroup"


def _own_paths() -> dict[str, str]:
    """This process's cgroup per v1 controller, and "" for the v2 hierarchy."""
    paths = {}
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                for controller in controllers.split(",") if controllers else [""]:
                    paths[controller] = path
    except OSError:
        pass
    return paths


def _make(folder: str, limits: dict[str, str]) -> str | None:
    try:
        os.mkdir(folder)
    except OSError:
        return None
    try:
        for name, value in limits.items():
            with open(os.path.join(folder, name), "w") as fh:
                fh.write(value)
    except OSError:
        remove([folder])
        return None
    return folder


def create(memory_mb: int | None, max_pids: int, tag: str) -> list[str]:
    """New cgroups (one per controller) below this process's own, with the limits; [] where none can be made."""
    own, name, made = _own_paths(), f"gradcheck-{os.getpid()}-{tag}", []
    memory = str(memory_mb * 1024 * 1024) if memory_mb else None
    v1 = [("memory", {"memory.limit_in_bytes": memory} if memory else {}), ("pids", {"pids.max": str(max_pids)})]
    for controller, limits in v1:
        if controller in own and os.path.isdir(os.path.join(ROOT, controller)):
            folder = _make(os.path.join(ROOT, controller, own[controller].lstrip("/"), name), limits)
            if folder:
                made.append(folder)
    if not made and "" in own:
        for mount in (ROOT, os.path.join(ROOT, "unified")):
            base = os.path.join(mount, own[""].lstrip("/"))
            try:
                with open(os.path.join(base, "cgroup.subtree_control")) as fh:
                    delegated = fh.read().split()
            except OSError:
                continue
            if {"memory", "pids"} <= set(delegated):
                limits = {"pids.max": str(max_pids), **({"memory.max": memory} if memory else {})}
                folder = _make(os.path.join(base, name), limits)
                if folder:
                    made.append(folder)
                break
    return made


def join(folders: list[str]) -> bool:
    """Move this process (and so everything it forks from now on) into ``folders``."""
    try:
        for folder in folders:
            with open(os.path.join(folder, "cgroup.procs"), "w") as fh:
                fh.write(str(os.getpid()))
    except OSError:
        return False
    return bool(folders)


def remove(folders: list[str], patience: float = 0.0) -> None:
    """Remove cgroups whose processes have ended (the kernel lets go of one a moment after its last process)."""
    deadline = time.monotonic() + patience
    for folder in folders:
        while True:
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                pass
            except OSError:
                if time.monotonic() < deadline:
                    time.sleep(0.01)
                    continue
            break


def leftover(folders: list[str]) -> tuple[int, int]:
    """(processes still in the groups, bytes of memory still charged to them) once a child has ended: memory a
    child leaves charged (shared memory, a tmpfs file) would count against the next child lent the same set."""
    processes = charged = 0
    for folder in folders:
        for name in ("cgroup.procs",):
            try:
                with open(os.path.join(folder, name)) as fh:
                    processes += len(fh.read().split())
            except OSError:
                pass
        for name in ("memory.current", "memory.usage_in_bytes"):
            try:
                with open(os.path.join(folder, name)) as fh:
                    charged += int(fh.read().strip() or 0)
            except (OSError, ValueError):
                continue
    return processes, charged
