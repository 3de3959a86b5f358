# "23 апрел, 2021 16:38": CLDR "uz-Cyrl" (long date "d MMMM, y", short "dd/MM/yy").
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "j F, Y"
DATETIME_FORMAT = "j F, Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/y"
SHORT_DATETIME_FORMAT = "d/m/y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F, Y"
# The admin calendar's week starts on Monday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 1
