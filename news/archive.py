"""Addresses and calendars of the archive by date (news.views, the `dated` tag)."""

import calendar

from core.memo import cached_reverse


def archive_url(day, part="day"):
    """The archive page of `day`'s day, month ("month") or year ("year")."""
    kwargs = {"year": day.year, "month": day.month, "day": day.day}
    keep = {"year": ("year",), "month": ("year", "month"), "day": ("year", "month", "day")}[part]
    return cached_reverse(f"news:archive-{part}", **{name: kwargs[name] for name in keep})


def month_calendar(first, days_with_news, current=None):
    """The weeks (Monday first, as in Kazakhstan) of `first`'s month for a calendar
    table: each day with its archive address if it has news."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    with_news = set(days_with_news)
    return {
        "month": first,
        "url": archive_url(first, "month"),
        "weekdays": weeks[0],
        "weeks": [
            [
                {
                    "day": day,
                    "in_month": day.month == first.month,
                    "url": archive_url(day) if day in with_news else None,
                    "current": day == current,
                }
                for day in week
            ]
            for week in weeks
        ],
    }
