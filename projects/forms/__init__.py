from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from projects.models import Membership, Project
from workbench.locking import VersionedFormMixin

User = get_user_model()


class ProjectCreateForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["code", "name", "legacy_system", "target_go_live", "phase", "description"]
        widgets = {
            "target_go_live": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class ProjectSettingsForm(VersionedFormMixin, ProjectCreateForm):
    pass


class MemberForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "department", "responsibility"]


class MemberAddForm(MemberForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("The user name of someone who already has an account on this workbench."),
    )

    class Meta(MemberForm.Meta):
        fields = ["username", "role", "department", "responsibility"]

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No active user is called “%(name)s”. Check the spelling, or ask an administrator "
                    "to create the account first."
                ),
                params={"name": username},
            )
        return user


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[])
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
