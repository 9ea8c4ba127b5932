"""Errors the engine raises for input the caller must fix."""


class UserInputError(ValueError):
    """Bad input (snapshot, amount, time, action): one clear line naming the field."""
