"""Errors the engine raises, split by who must act."""


class UserInputError(ValueError):
    """Bad input (snapshot, amount, time, action): one clear line naming the field."""


class ConfigError(Exception):
    """A deployment setting or file (the policy file) is missing or wrong; the operator must act."""
