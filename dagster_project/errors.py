"""Errors a user can fix, reported as one sentence without a traceback."""


class UserError(Exception):
    """A mistake of the caller (missing folder, bad period, malformed master file)."""
