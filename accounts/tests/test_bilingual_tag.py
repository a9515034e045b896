import datetime as dt

from django.template import Context, Template
from django.utils import translation

from accounts.templatetags.account_tags import minutes


def render(text):
    return Template("{% load i18n account_tags %}" + text).render(Context())


def test_it_renders_thai_then_english():
    # "Thai" and "English" are in Django's own Thai catalogue (settings.LANGUAGES)
    with translation.override("en"):
        assert render('{% bilingual %}{% translate "Thai" %}{% endbilingual %}') == "ไทย / Thai"


def test_it_says_an_untranslated_text_once():
    assert render('{% bilingual %}{% translate "Not translated yet, zz" %}{% endbilingual %}') == (
        "Not translated yet, zz"
    )


def test_it_puts_paragraphs_under_each_other():
    out = render('{% bilingual %}{% translate "Thai" %}\nline two{% endbilingual %}')
    assert out.startswith("ไทย\nline two\n\n---")
    assert out.endswith("Thai\nline two")


def test_minutes_round_up():
    assert minutes(dt.timedelta(minutes=15)) == 15
    assert minutes(dt.timedelta(seconds=61)) == 2
    assert minutes(None) == 0
