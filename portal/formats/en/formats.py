# "23 April 2021, 16:38": CLDR "en-GB" (long date "d MMMM y", time "HH:mm"), as on the
# reference page; a Kazakh agency's English follows British usage, not the US default.
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# The week starts on Monday, as CLDR has it for Britain (and Kazakhstan).
FIRST_DAY_OF_WEEK = 1
