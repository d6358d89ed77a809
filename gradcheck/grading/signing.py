"""The grader's secrets and the files it trusts: keys live in the grader's own state folder (0700, never beside
a report or a submission), every file is opened without following links and must be a regular file of the
grader's own user, and reports are signed so that ``grade merge`` takes only parts this grader wrote.

Shards graded on several machines share one key: ``GRADCHECK_KEY_FILE`` names it (copy one machine's
``reports.key`` to the others); without it each machine signs with its own.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import tempfile
from pathlib import Path

from ..errors import GradcheckError
from ..report.model import Note

KEY_BYTES = 32


class UnsafeFile(GradcheckError):
    """A file the grader would trust is a link, a FIFO, a device or someone else's; ``note`` says which."""

    def __init__(self, path: str, why: str):
        self.note = Note("grade.unsafe_file", {"path": path, "why": why})
        super().__init__(self.note.render("en"))


def state_folder() -> Path:
    """``$XDG_STATE_HOME/gradcheck`` (else ``~/.local/state/gradcheck``, else a 0700 folder of this user in the
    temporary folder), created 0700 and owned by this user."""
    home = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    for base in (home, os.path.join(tempfile.gettempdir(), f"gradcheck-state-{os.geteuid()}")):
        folder = Path(base) / "gradcheck" if base == home else Path(base)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            info = os.lstat(folder)
            if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid():
                os.chmod(folder, 0o700)
                return folder
        except OSError:
            continue
    raise UnsafeFile(str(home), "no folder of the grader's own could be made for its keys")


def open_private(path: Path, flags: int, mode: int = 0o600) -> int:
    """A descriptor of ``path`` opened without following a link and without blocking on a FIFO, checked to be
    a regular file owned by this user; ``UnsafeFile`` otherwise."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode)
    except OSError as exc:
        if os.path.islink(path):
            raise UnsafeFile(str(path), "it is a symbolic link") from None
        raise UnsafeFile(str(path), exc.strerror or str(exc)) from None
    info = os.fstat(fd)
    why = "" if stat.S_ISREG(info.st_mode) else "it is not a regular file"
    why = why or ("" if info.st_uid == os.geteuid() else "it belongs to another user")
    if why:
        os.close(fd)
        raise UnsafeFile(str(path), why)
    return fd


def key(name: str) -> bytes:
    """The secret ``name`` from the state folder, made on first use."""
    path = state_folder() / name
    try:
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except UnsafeFile:
        if not os.path.lexists(path):
            raise
        return read_key(path)
    secret = os.urandom(KEY_BYTES)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)
    return secret


def read_key(path: Path) -> bytes:
    """A key file's bytes, read as ``open_private`` allows."""
    fd = open_private(path, os.O_RDONLY)
    with os.fdopen(fd, "rb") as fh:
        secret = fh.read(4096)
    if len(secret) < 16:
        raise UnsafeFile(str(path), "it is too short to be a key")
    return secret


def journal_key_name(journal: Path) -> str:
    """The state folder's name for the key of one journal (by the journal's real path)."""
    return "journal-" + hashlib.sha256(os.path.realpath(journal).encode()).hexdigest()[:32] + ".key"


def report_key() -> bytes:
    """The key reports are signed with: ``GRADCHECK_KEY_FILE`` where set, else the state folder's own."""
    shared = os.environ.get("GRADCHECK_KEY_FILE")
    return read_key(Path(shared)) if shared else key("reports.key")


def _canonical(doc: dict) -> bytes:
    body = {k: v for k, v in doc.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(doc: dict) -> str:
    """The signature of a report (everything in it but the signature itself)."""
    return hmac.new(report_key(), _canonical(doc), hashlib.sha256).hexdigest()


def signed(doc: dict) -> bool:
    """Whether the report carries this grader's signature."""
    given = doc.get("signature")
    return isinstance(given, str) and hmac.compare_digest(given, sign(doc))
