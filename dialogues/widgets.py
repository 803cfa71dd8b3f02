"""The filter form's widgets (the listings' forms are built in dialogues/listing.py)."""

from django import forms
from django.utils.html import format_html


class FoldingCheckboxes(forms.CheckboxSelectMultiple):
    """The checkboxes of a many-option filter (topics, countries, programmes), each with its count
    of records: the options that have records, and the checked ones, come first; the others are
    folded under a <details> ("23 more with no records") that opens without JavaScript.

    Without counts (a listing too large to count per option: see FilteredListView.count_options)
    every option is shown, bare.
    """

    template_name = "dialogues/widgets/folding_checkboxes.html"
    counts = None  # {option value: rows}, set by the listing once it has counted them

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [option for _group, group, _index in context["widget"]["optgroups"] for option in group]
        shown, folded = options, []
        if self.counts is not None:
            shown = []
            for option in options:
                count = self.counts.get(option["value"], 0)
                if count or option["selected"]:
                    option["label"] = format_html("{} ({})", option["label"], count)  # keeps a lang="en" mark
                    shown.append(option)
                else:
                    folded.append(option)
        context["widget"].update(shown=shown, folded=folded)
        return context
