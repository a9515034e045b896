"""Template helpers for account pages and account e-mails."""

from __future__ import annotations

from django import template
from django.utils import translation

register = template.Library()

# Thai first, English second: Phrom's readers are Thai officers, some of whom prefer English.
MAIL_LANGUAGES = ("th", "en")


LINE_SEPARATOR = " / "
BLOCK_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"


class BilingualNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        parts = []
        for language in MAIL_LANGUAGES:
            with translation.override(language):
                text = self.nodelist.render(context).strip()
            # Until a translation exists both renderings are the same text: say it once.
            if text and text not in parts:
                parts.append(text)
        multiline = any("\n" in part for part in parts)
        return (BLOCK_SEPARATOR if multiline else LINE_SEPARATOR).join(parts)


@register.tag
def bilingual(parser, token):
    """Render the enclosed block in Thai, then in English: "ไทย / English" for a line, or two
    blocks under each other, split by a rule, for a text of several lines.

    {% bilingual %}{% translate "Reset your Phrom password" %}{% endbilingual %}

    For e-mails: their readers get both languages whatever language the sender's page was in.
    """
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% bilingual %} takes no arguments")
    nodelist = parser.parse(("endbilingual",))
    parser.delete_first_token()
    return BilingualNode(nodelist)


@register.filter
def minutes(delta) -> int:
    """A timedelta in whole minutes, rounded up (never "0 minutes" for a short wait)."""
    if delta is None:
        return 0
    seconds = int(delta.total_seconds())
    return max(0, -(-seconds // 60))
