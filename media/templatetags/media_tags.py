from django import template
from django.utils.safestring import mark_safe

from media.rendering import ARTICLE_SIZES, picture_html

register = template.Library()


@register.simple_tag
def picture(image, alt=None, sizes=ARTICLE_SIZES, lazy=True, css_class=""):
    """``{% picture article.cover_image sizes="50vw" lazy=False %}``."""
    if image is None:
        return ""
    return mark_safe(picture_html(image, alt=alt, sizes=sizes, lazy=lazy, css_class=css_class))  # noqa: S308 - escaped in picture_html
