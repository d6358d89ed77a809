"""Grading many submissions: in parallel, sharded across machines, resumable, written atomically.

With an output file, each finished submission is appended to a journal beside
it (``FILE.partial.jsonl``) and flushed to disk; a rerun of an interrupted batch
reads the journal and regrades only submissions that are missing or changed.
The final document replaces the output file in one rename.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import json
import os
import stat
import tempfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from ..errors import GradcheckError
from ..sandbox import landlock
from . import signing
from .bank import Exercise
from ..report.messages import message
from ..report.model import Note
from .grade import grade_submission, not_graded
from .private_copy import MAX_BYTES, submission_files
from .results import SubmissionResult


def expand(patterns) -> list[Path]:
    """Submission paths from files, folders (one per student) and globs, sorted and without repeats."""
    out: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        out.extend(Path(m) for m in matches)
    seen, unique = set(), []
    for p in out:
        if str(p) not in seen:
            seen.add(str(p))
            unique.append(p)
    return unique


def shard(paths: list[Path], k: int, n: int) -> list[Path]:
    """The k-th of n disjoint slices (1-based), so any batch system can split a class across machines."""
    return [p for i, p in enumerate(paths) if i % n == k - 1]


def file_digest(path: Path) -> str:
    """A content hash of a submission (a file or a folder), so a resumed batch regrades only what changed.
    Only regular files count, read up to the private copy's bound (a link to /dev/zero is never read)."""
    h = hashlib.sha256()
    if path.is_symlink():
        return "link"
    files = [path] if path.is_file() else submission_files(path) if path.is_dir() else []
    if isinstance(files, Note):  # refused as it is: its content never decides anything
        return "refused:" + files.key
    for f in files:
        if not stat.S_ISREG(os.lstat(f).st_mode):
            continue
        h.update(str(f.relative_to(path) if path.is_dir() else f.name).encode())
        with open(f, "rb") as fh:
            h.update(fh.read(MAX_BYTES))
    return h.hexdigest()



def _key(exercise: Exercise, path: Path, seed: int, shrink: bool, student: str | None = None, reveal: bool = True) -> str:
    return f"{exercise.id}|{seed}|{int(shrink)}|{int(reveal)}|{exercise.diagnosis}|{student or ''}|{path}|{file_digest(path) if path.exists() else 'missing'}"


def _journal(out: str | None) -> Path | None:
    return Path(out + ".partial.jsonl") if out else None


def _journal_key(journal: Path) -> bytes:
    """The secret that signs the journal's lines, kept in the grader's own state folder (never beside the
    journal, where a submission's owner could plant one), so a rerun trusts only lines this grader wrote."""
    return signing.key(signing.journal_key_name(journal))


def _mac(secret: bytes, key: str, result: dict) -> str:
    text = json.dumps({"key": key, "result": result}, sort_keys=True, ensure_ascii=False)
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


def _load_journal(journal: Path | None, secret: bytes) -> dict[str, dict]:
    done = {}
    if journal is None or not os.path.lexists(journal):
        return done
    with os.fdopen(signing.open_private(journal, os.O_RDONLY), "r", encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            if hmac.compare_digest(str(entry["mac"]), _mac(secret, entry["key"], entry["result"])):
                done[entry["key"]] = entry["result"]
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by the interruption (or not written by us) is simply graded again
    return done


def _grade_one(args) -> dict:
    """One submission's result, whatever it holds: an error of ours on it is that submission's result (said,
    scored 0 as not graded), never the end of the batch for everyone."""
    exercise, path, seed, timeout, lang, shrink, student, reveal = args
    try:
        return grade_submission(exercise, path, seed=seed, timeout=timeout, lang=lang, shrink=shrink,
                                student=student, reveal=reveal).to_dict()
    except Exception as exc:  # noqa: BLE001 - any failure on one submission stays with it
        reason = message("grade.internal_one", lang, error=f"{type(exc).__name__}: {exc}"[:300])
        return not_graded(exercise, str(path), reason, "grade.internal_one").to_dict()


class ConfinementError(GradcheckError):
    """Untrusted submissions cannot be confined on this kernel (no Landlock) and ``unconfined`` was not given."""


def grade_many(exercise: Exercise, paths: list[Path], *, jobs: int = 1, seed: int = 0, timeout: float = 5.0,
               lang: str = "en", out: str | None = None, progress=None, shrink: bool = False,
               unconfined: bool = False, student: str | None = None, reveal: bool = True) -> list[SubmissionResult]:
    """Grade ``paths`` (already sharded), reusing journaled results when ``out`` names a previous run's file.
    ``student`` picks the variant of a parametrized exercise (by default each folder's name).
    Refuses (``ConfinementError``) where submissions could read the answer key, unless ``unconfined``."""
    if not unconfined and landlock.abi_version() < 1:
        raise ConfinementError("this kernel has no Landlock")
    journal = _journal(out)
    secret = _journal_key(journal) if journal else b""
    done = _load_journal(journal, secret)
    keys = [_key(exercise, p, seed, shrink, student, reveal) for p in paths]
    results: dict[str, dict] = {k: done[k] for k in keys if k in done}
    todo = [(k, p) for k, p in zip(keys, paths) if k not in results]
    if results and hasattr(progress, "resumed"):
        progress.resumed(len(results))  # a display counts what an earlier run already graded
    # never through a link planted in its place, never into a FIFO or someone else's file
    handle = os.fdopen(signing.open_private(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT), "a", encoding="utf-8") \
        if journal else None

    def record(key: str, result: dict) -> None:
        results[key] = result
        if handle:
            entry = {"key": key, "result": result, "mac": _mac(secret, key, result)}
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        if progress:
            progress(result)

    try:
        work = [(exercise, p, seed, timeout, lang, shrink, student, reveal) for _, p in todo]
        if jobs > 1 and len(work) > 1:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
                for (key, _), result in zip(todo, pool.map(_grade_one, work)):
                    record(key, result)
        else:
            for (key, _), args in zip(todo, work):
                record(key, _grade_one(args))
    finally:
        if handle:
            handle.close()
    return [SubmissionResult.from_dict(results[k]) for k in keys]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the whole new one, never a part."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".gradcheck-", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as an ordinary new file: a TA or the course's web server may read it
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def finish(out: str | None) -> None:
    """The batch is complete: its journal is no longer needed."""
    journal = _journal(out)
    if journal is not None:
        key = signing.state_folder() / signing.journal_key_name(journal)
        for path in (journal, key):
            if os.path.lexists(path) and not os.path.islink(path):
                path.unlink()
