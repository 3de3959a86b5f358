from django.db import migrations

# Names per edition: en, ru, kk, kk-latn, zh-hans, kk-arab, uz; then latitude, longitude.
CITIES = [
    ("astana", ("Astana", "Астана", "Астана", "Astana", "阿斯塔纳", "استانا", "Астана"), "51.1694", "71.4491"),
    ("almaty", ("Almaty", "Алматы", "Алматы", "Almaty", "阿拉木图", "الماتى", "Олмаота"), "43.2389", "76.8897"),
    ("shymkent", ("Shymkent", "Шымкент", "Шымкент", "Shymkent", "奇姆肯特", "شىمكەنت", "Чимкент"), "42.3417", "69.5901"),
    ("karaganda", ("Karaganda", "Караганда", "Қарағанды", "Qaraǵandy", "卡拉干达", "قاراعاندى", "Қарағанди"), "49.8047", "73.1094"),
    ("aktobe", ("Aktobe", "Актобе", "Ақтөбе", "Aqtóbe", "阿克托别", "اقتوبە", "Ақтўбе"), "50.2839", "57.1670"),
    ("atyrau", ("Atyrau", "Атырау", "Атырау", "Atyraý", "阿特劳", "اتىراۋ", "Атирау"), "47.1167", "51.8833"),
]
SUFFIXES = ("en", "ru", "kk", "kk_latn", "zh_hans", "kk_arab", "uz")


def create_cities(apps, schema_editor):
    City = apps.get_model("widgets", "City")
    for position, (slug, names, latitude, longitude) in enumerate(CITIES):
        translated = {f"name_{suffix}": name for suffix, name in zip(SUFFIXES, names)}
        City.objects.update_or_create(
            slug=slug,
            defaults={
                "name": names[0],
                **translated,
                "latitude": latitude,
                "longitude": longitude,
                "position": position,
                "shown": True,
            },
        )


def remove_cities(apps, schema_editor):
    apps.get_model("widgets", "City").objects.filter(slug__in=[c[0] for c in CITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("widgets", "0001_initial")]

    operations = [migrations.RunPython(create_cities, remove_cities)]
