"""Being built: see requirements/views/_placeholder.py."""

from requirements.views._placeholder import NotBuilt


class PortalHomeView(NotBuilt):
    required_capability = "respond"
    write_capability = "respond"


class PortalOfferView(NotBuilt):
    required_capability = "respond"
    write_capability = "respond"


class PortalQuoteView(NotBuilt):
    required_capability = "respond"
    write_capability = "respond"


class PortalQuoteDeleteView(NotBuilt):
    required_capability = "respond"
    write_capability = "respond"
