"""The one kind of failure every app's services raise when a business rule refuses a change."""


class BusinessRuleError(Exception):
    """A rule refused the change and nothing was saved; the message is shown to the user as it is."""
