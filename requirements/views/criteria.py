"""Being built: see requirements/views/_placeholder.py."""

from requirements.views._placeholder import NotBuilt


class CriterionListView(NotBuilt):
    pass


class CriterionEditView(NotBuilt):
    pass


class CriterionDeleteView(NotBuilt):
    pass


class AhpView(NotBuilt):
    pass


class ScoreSheetView(NotBuilt):
    pass


class ScoreSubmitView(NotBuilt):
    pass


class AgreedScoreView(NotBuilt):
    pass
