from django.core.management.base import BaseCommand, CommandError

from widgets import display, weather
from widgets.http import SourceError
from widgets.models import City


class Command(BaseCommand):
    help = (
        "Fetch current weather and today's range for every shown city from Open-Meteo "
        "(WEATHER_API_URL) and store them. Exit 0: stored; 1: a city's answer failed or was "
        "refused and nothing changed; 2: bad arguments."
    )

    def handle(self, *args, **options):
        cities = list(City.objects.shown())
        if not cities:
            raise CommandError("no cities are set to be shown; nothing to fetch")
        # Every city is fetched and checked before anything is written: all or nothing.
        try:
            readings = [(city, weather.fetch(city)) for city in cities]
        except SourceError as error:
            raise CommandError(f"weather not fetched, nothing changed: {error}") from None
        result = weather.store(readings)
        display.invalidate()
        self.stdout.write(
            f"Weather for {len(cities)} cities: {result.created} readings stored, "
            f"{result.updated} corrected, {result.unchanged} already stored."
        )
