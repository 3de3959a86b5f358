# "2021 ج. 23 ٴساۋىر، 16:38": CLDR "kk" (long date "y 'ж'. d MMMM") in the Arabic script
# (core.translit: "ж" is "ج", the comma is "،"), as the kk-latn edition does it.
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "Y ج. j F"
DATETIME_FORMAT = "Y ج. j F، H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.y"
SHORT_DATETIME_FORMAT = "d.m.y، H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "Y ج. F"
# The admin calendar's week starts on Monday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 1
