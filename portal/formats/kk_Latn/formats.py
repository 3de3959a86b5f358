# "2021 j. 23 säuır, 16:38": CLDR "kk" (long date "y 'ж'. d MMMM") in the Latin script
# (core.translit: "ж" is "j", escaped because j is the day).
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "Y \\j. j F"
DATETIME_FORMAT = "Y \\j. j F, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.y"
SHORT_DATETIME_FORMAT = "d.m.y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "Y \\j. F"
# The admin calendar's week starts on Monday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 1
