# "April 23, 2021, 4:38 PM": CLDR "en" (long date "MMMM d, y", short time "h:mm a").
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i A"
TIME_FORMAT = "g:i A"
SHORT_DATE_FORMAT = "n/j/y"
SHORT_DATETIME_FORMAT = "n/j/y, g:i A"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
# The admin calendar's week starts on Sunday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 0
