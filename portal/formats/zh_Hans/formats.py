# "2021年4月23日 16:38": CLDR "zh-Hans" (long date "y年M月d日", short "y/M/d").
# Reader pages use them too: one locale per edition.
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "Y/n/j"
SHORT_DATETIME_FORMAT = "Y/n/j H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
# The admin calendar's week starts on Sunday, as CLDR has it for this language's territory.
FIRST_DAY_OF_WEEK = 0
