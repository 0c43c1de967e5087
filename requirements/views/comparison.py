"""Being built: see requirements/views/_placeholder.py."""

from requirements.views._placeholder import NotBuilt


class ComparisonView(NotBuilt):
    pass


class ComparisonReportView(NotBuilt):
    pass
