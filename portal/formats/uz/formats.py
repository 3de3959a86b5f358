# "23 апрел 2021, 16:38"
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.Y"
# "April 2021": archive month pages and calendars.
YEAR_MONTH_FORMAT = "F Y"
# The admin calendar's week starts on Monday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 1
