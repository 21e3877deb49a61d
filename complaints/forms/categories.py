"""The manager's form of a case category: its name and, for a subcategory, its parent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from config.forms import BootstrapMixin


class CategoryForm(BootstrapMixin, forms.Form):
    parent = forms.ModelChoiceField(
        label=_("parent category"),
        queryset=Category.objects.filter(parent__isnull=True, active=True),
        required=False,
        help_text=_("Empty for a top category."),
    )
    name = forms.CharField(label=_("name"), max_length=50)
