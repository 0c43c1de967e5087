"""Being built: see requirements/views/_placeholder.py."""

from requirements.views._placeholder import NotBuilt


class OfferFitView(NotBuilt):
    pass


class FitMatrixView(NotBuilt):
    pass
