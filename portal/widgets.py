"""Form widgets for the public site's filter forms, rendered in Python.

Django renders a widget through templates, with one include per
``<option>``: the search page's four filters cost more than its twenty
results. These print the same markup without a template; the admin keeps
Django's own widgets.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            markup = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                markup = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, markup
                )
            groups.append(markup)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # noqa: S308 - each part built by format_html
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            shown,
            flatatt(widget["attrs"]),
        )
