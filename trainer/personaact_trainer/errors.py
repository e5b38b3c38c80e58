class UserError(Exception):
    """Bad input (missing folder, malformed line, unknown option): reported in one line, exit status 2."""
