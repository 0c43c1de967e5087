from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from projects.models import Profile
from workbench.middleware import SESSION_LANGUAGE_KEY


@receiver(user_logged_in)
def restore_language(sender, request, user, **kwargs) -> None:
    """Bring back the language the user chose last time, on whatever device they sign in from."""
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[SESSION_LANGUAGE_KEY] = language
