# "23 апреля 2021 г., 16:38": CLDR "ru" (long date "d MMMM y 'г'.", month in the genitive;
# "LLLL y 'г'." for a month alone, in the nominative).
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y г."
# The admin calendar's week starts on Monday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 1
