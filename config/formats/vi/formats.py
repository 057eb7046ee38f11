"""Vietnamese number format on top of Django's own vi formats: 1.234.567,5.

Django's vi locale has the separators but no grouping; grouping applies only where a
template asks for it (`floatformat:"0g"`, `intcomma`), so ids and codes stay as typed.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
