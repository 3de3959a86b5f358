# "2021年4月23日 16:38"
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y-m-d"
# "2021年4月": archive month pages and calendars.
YEAR_MONTH_FORMAT = "Y年n月"
# The admin calendar's week starts on Sunday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 0
