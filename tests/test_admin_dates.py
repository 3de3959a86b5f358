"""Dates and the week's first day in each admin (and edition) language, as CLDR writes them.

The expected strings are CLDR's patterns (cldr.unicode.org, as Babel 2.19 ships them)
applied by hand to 23 April 2021, 16:38 in Almaty: en-GB "d MMMM y" and "HH:mm", ru
"d MMMM y 'г'." with the genitive month, kk "y 'ж'. d MMMM" (in Latin and Arabic letters
for kk-latn and kk-arab, as core.translit writes "ж" and the comma), zh-Hans "y年M月d日",
uz-Cyrl "d MMMM, y". Reader pages use the same formats: one locale per edition.
"""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation

from tests.admin_helpers import EDITOR, make_staff

MOMENT = datetime(2021, 4, 23, 16, 38, tzinfo=ZoneInfo("Asia/Almaty"))

NAMES = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
)

CLDR = {
    "en": (
        "23 April 2021",
        "23 April 2021, 16:38",
        "23/04/2021",
        "23/04/2021, 16:38",
        "23 April",
        "April 2021",
        "16:38",
    ),
    "ru": (
        "23 апреля 2021 г.",
        "23 апреля 2021 г., 16:38",
        "23.04.2021",
        "23.04.2021, 16:38",
        "23 апреля",
        "апрель 2021 г.",
        "16:38",
    ),
    "kk": (
        "2021 ж. 23 сәуір",
        "2021 ж. 23 сәуір, 16:38",
        "23.04.21",
        "23.04.21, 16:38",
        "23 сәуір",
        "2021 ж. сәуір",
        "16:38",
    ),
    "kk-latn": (
        "2021 j. 23 säuır",
        "2021 j. 23 säuır, 16:38",
        "23.04.21",
        "23.04.21, 16:38",
        "23 säuır",
        "2021 j. säuır",
        "16:38",
    ),
    "kk-arab": (
        "2021 ج. 23 ٴساۋىر",
        "2021 ج. 23 ٴساۋىر، 16:38",
        "23.04.21",
        "23.04.21، 16:38",
        "23 ٴساۋىر",
        "2021 ج. ٴساۋىر",
        "16:38",
    ),
    "zh-hans": (
        "2021年4月23日",
        "2021年4月23日 16:38",
        "2021/4/23",
        "2021/4/23 16:38",
        "4月23日",
        "2021年4月",
        "16:38",
    ),
    "uz": (
        "23 апрел, 2021",
        "23 апрел, 2021 16:38",
        "23/04/21",
        "23/04/21 16:38",
        "23 апрел",
        "апрел, 2021",
        "16:38",
    ),
}

# CLDR's firstDay for the language's territory: Sunday (0) in the US and China, Monday
# (1) in Russia, Kazakhstan and Uzbekistan.
FIRST_DAY = {"en": 1, "ru": 1, "kk": 1, "kk-latn": 1, "kk-arab": 1, "zh-hans": 0, "uz": 1}


@pytest.mark.parametrize("code", CLDR)
def test_the_long_date_is_cldrs(code):
    with translation.override(code):
        assert formats.date_format(MOMENT, "DATE_FORMAT") == CLDR[code][0]


@pytest.mark.parametrize("code", CLDR)
def test_every_named_format_is_cldrs(code):
    with translation.override(code):
        shown = {name: formats.date_format(MOMENT, name) for name in NAMES}
    assert shown == dict(zip(NAMES, CLDR[code], strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("code", FIRST_DAY)
def test_the_admin_calendar_starts_the_week_on_cldrs_first_day(client, code):
    client.force_login(make_staff(EDITOR))
    script = client.get(f"/{code}/admin/jsi18n/").content.decode()
    # The admin's calendar (DateTimeShortcuts.js) reads get_format("FIRST_DAY_OF_WEEK").
    found = re.search(r"django.formats = (\{.*?\});", script, re.S)
    assert json.loads(found.group(1))["FIRST_DAY_OF_WEEK"] == FIRST_DAY[code]
