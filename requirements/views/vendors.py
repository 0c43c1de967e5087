"""Being built: see requirements/views/_placeholder.py."""

from requirements.views._placeholder import NotBuilt


class VendorListView(NotBuilt):
    pass


class VendorCreateView(NotBuilt):
    pass


class VendorDetailView(NotBuilt):
    pass


class VendorEditView(NotBuilt):
    pass


class VendorDeleteView(NotBuilt):
    pass


class OfferCreateView(NotBuilt):
    pass


class OfferDetailView(NotBuilt):
    pass


class OfferEditView(NotBuilt):
    pass


class OfferDeleteView(NotBuilt):
    pass


class QuoteLineCreateView(NotBuilt):
    pass


class QuoteLineEditView(NotBuilt):
    pass


class QuoteLineDeleteView(NotBuilt):
    pass


class KnockOutCheckView(NotBuilt):
    pass


class KnockOutListView(NotBuilt):
    pass


class KnockOutEditView(NotBuilt):
    pass


class KnockOutDeleteView(NotBuilt):
    pass


class SelectionSettingsView(NotBuilt):
    pass
