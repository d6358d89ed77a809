"""What every convention shares: a checkable ``Target`` (a stable id apart from its display title) and a
``Skipped`` entry for what looks checkable but is not checked, with the reason and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report.model import Note


@dataclass
class Target:
    """One checkable thing.

    ``id`` is stable (``Affine``, ``affine``, ``TwoLayerNet``): exercises and ``--target`` use it.  ``title`` is
    what a report shows (``affine_forward / affine_backward``).  ``names`` are the definitions in the file it
    covers, which ``--target`` accepts too.  ``convention`` is the module that checks it.
    """

    id: str
    convention: str
    title: str = ""
    names: tuple[str, ...] = ()
    info: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.title = self.title or self.id
        self.names = self.names or (self.id,)

    def matches(self, wanted: str) -> bool:
        """Whether ``wanted`` (an id or a name from the file) selects this target."""
        return wanted == self.id or wanted in self.names

    @property
    def name(self) -> str:  # the primary definition, for messages about the learner's code
        return self.names[0]


@dataclass
class Skipped:
    """A definition that looks checkable but is not checked: its name and why (a Note naming the fix)."""

    name: str
    reason: Note

    def to_dict(self, lang: str = "en") -> dict:
        return {"name": self.name, "reason": self.reason.render(lang)}

