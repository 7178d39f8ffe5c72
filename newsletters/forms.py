from django import forms

from .models import Newsletter


class SignupForm(forms.Form):
    """Email, an optional name and the letters ticked; no box is ticked in advance.

    The address is checked by syntax only (Django's validator): no DNS lookup, which would be
    slow, leak that someone signed up, and refuse addresses that work.
    """

    email = forms.EmailField(max_length=254)
    name = forms.CharField(max_length=120, required=False)
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one newsletter."},
    )
    page = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, member=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = Newsletter.objects.public().offered_to(member)

    def clean_page(self):
        # Only a path on this site is kept; it is what the form said, not something we checked.
        page = self.cleaned_data.get("page", "")
        return page if page.startswith("/") and not page.startswith("//") else ""


class PreferencesForm(forms.Form):
    """The reader's choice of letters on their preferences page: exactly the ones ticked."""

    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = offered
        self.fields["newsletters"].error_messages["invalid_choice"] = (
            "That newsletter is not one you can choose here. Nothing was changed."
        )


class PauseForm(forms.Form):
    pause = forms.ChoiceField(
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long to pause for.", "invalid_choice": "Choose a pause."},
    )

    def __init__(self, *args, pauses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pause"].choices = [(key, words) for key, (words, _days) in pauses.items()]
