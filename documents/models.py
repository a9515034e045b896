"""Models of the documents app.

`letter_models` holds the per-organization document settings used by letters; it lives in its
own module so the letters and the plan-document code can change independently.
"""

from documents.letter_models import *  # noqa: F403
