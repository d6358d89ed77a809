"""A submission's private copy: what gets graded is copied once, byte for byte, into a folder of its own, and
hashed; the child reads only that copy.  Symbolic links and special files are refused, so a submission cannot
point at the bank's solution or another student's work, and a file changed during the batch cannot change
what was graded."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..report.model import Note

#: The most a submission folder may hold.
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class PrivateCopy:
    """The copied submission: its folder (removed by ``remove``), the file to grade inside it, and the digest."""

    folder: Path
    file: Path
    sha256: str

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _refusal(path: Path, key: str, **params) -> Note:
    return Note(key, {"path": str(path), **params})


#: How deep a student's folder may nest and how many entries it may hold: a submission is a few files.
MAX_DEPTH, MAX_ENTRIES = 32, 5000


def submission_files(folder: Path) -> list[Path] | Note:
    """Every file below a student's folder, walked without recursion and without following links, or why the
    folder is not graded (a link, a name that is not UTF-8, nesting or entries beyond the bounds)."""
    files, pending, seen = [], [(folder, 0)], 0
    while pending:
        current, depth = pending.pop()
        if depth > MAX_DEPTH:
            return _refusal(current, "refused.deep", depth=MAX_DEPTH)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            return _refusal(current, "refused.unreadable", error=exc.strerror or str(exc))
        for entry in entries:
            seen += 1
            path = Path(entry.path)
            if seen > MAX_ENTRIES:
                return _refusal(folder, "refused.many", count=MAX_ENTRIES)
            try:
                entry.name.encode("utf-8")
            except UnicodeEncodeError:
                return _refusal(Path(os.fsdecode(current)), "refused.name", name=entry.name.encode("utf-8", "replace").decode())
            if entry.is_symlink():
                return _refusal(path, "refused.symlink")
            if entry.is_dir(follow_symlinks=False):
                pending.append((path, depth + 1))
            else:
                files.append(path)
    return files


def private_copy(submission: Path, target: Path) -> PrivateCopy | Note:
    """Copy ``submission`` (a file, or a student's folder holding ``target``) into a new private folder."""
    root = submission if submission.is_dir() and not submission.is_symlink() else submission.parent
    files = [submission] if root is not submission else submission_files(submission)
    if isinstance(files, Note):
        return files
    digest = hashlib.sha256()
    folder = Path(tempfile.mkdtemp(prefix="gradcheck-submission-"))
    try:
        problem = _copy(sorted(files), root, folder, digest)
    except OSError as exc:
        problem = _refusal(submission, "refused.unreadable", error=exc.strerror or str(exc))
    if problem is not None:
        shutil.rmtree(folder, ignore_errors=True)
        return problem
    return PrivateCopy(folder, folder / target.relative_to(root), digest.hexdigest())


def _copy(files: list[Path], root: Path, folder: Path, digest) -> Note | None:
    total = 0
    for path in files:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            return _refusal(path, "refused.symlink")
        if not stat.S_ISREG(info.st_mode):
            return _refusal(path, "refused.special")
        total += info.st_size
        if total > MAX_BYTES:
            return _refusal(path, "refused.too_large", mb=MAX_BYTES // (1024 * 1024))
        data = path.read_bytes()
        relative = path.relative_to(root)
        digest.update(str(relative).encode() + b"\0" + data)
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return None
