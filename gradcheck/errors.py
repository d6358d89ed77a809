"""The root of every exception gradcheck raises, so a caller can catch all of them with one name."""


class GradcheckError(Exception):
    """Something gradcheck could not do; the message says what and where."""
