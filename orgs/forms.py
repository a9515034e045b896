"""Forms of the organization directory (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import Kind

# อปท. = local government organization; the types in the order DLA lists them.
LGO_KIND_ORDER = [
    Kind.PAO,
    Kind.CITY_MUNICIPALITY,
    Kind.TOWN_MUNICIPALITY,
    Kind.SUBDISTRICT_MUNICIPALITY,
    Kind.SAO,
    Kind.PATTAYA,
]


class BrowserForm(forms.Form):
    """The directory's query string: a search, a type filter, and where in the tree we are.

    Invalid values are dropped rather than reported: a bad link still shows a useful page.
    """

    q = forms.CharField(label=_("Search by name or DLA code"), required=False, max_length=100)
    kind = forms.MultipleChoiceField(
        label=_("Type of local government"),
        required=False,
        choices=[(k.value, k.label) for k in LGO_KIND_ORDER],
        widget=forms.CheckboxSelectMultiple,
    )
    province = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    district = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def values(self) -> dict:
        """The valid values, with defaults for the missing or invalid ones."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "kinds": data.get("kind") or [],
            "province": data.get("province"),
            "district": data.get("district"),
        }
