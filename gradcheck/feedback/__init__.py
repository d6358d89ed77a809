"""Feedback from the learner's own code: the edit of their backward (or update, or loss) that makes the
gradient right, found by searching single edits (then pairs) and verified by the same numeric checks."""

from .search import LEVELS, Fix, attach, find_fix, fix_notes

__all__ = ["LEVELS", "Fix", "attach", "find_fix", "fix_notes"]
