"""Being built: see requirements/views/_placeholder.py."""

from requirements.views._placeholder import NotBuilt


class DemoListView(NotBuilt):
    pass


class ScenarioEditView(NotBuilt):
    pass


class ScenarioDeleteView(NotBuilt):
    pass


class DemoDetailView(NotBuilt):
    pass


class DemoEditView(NotBuilt):
    pass


class DemoDeleteView(NotBuilt):
    pass
