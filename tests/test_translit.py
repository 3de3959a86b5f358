"""Kazakh and Uzbek script conversion, as used for the admin catalogs."""

import pytest

from portal.translit import kk_cyrl_to_arab, kk_cyrl_to_latn, uz_latn_to_cyrl


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Сақтау", "Saqtau"),
        ("Жою", "Joiu"),
        ("Қосу", "Qosu"),
        ("Өзгерту тарихы", "Özgertu tarihy"),
        ("Құпиясөзді өзгерту", "Qūpiiasözdı özgertu"),
        ("Іздеу", "Izdeu"),
        ("ИИН", "İİN"),
        ("Шілде", "Şılde"),
    ],
)
def test_kazakh_latin_follows_the_2021_alphabet(cyrillic, latin):
    assert kk_cyrl_to_latn(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "arabic"),
    [
        ("Сақтау", "ساقتاۋ"),
        ("мәтін", "ٴماتىن"),  # front vowels only: high hamza before the word
        ("бірінші", "ٴبىرىنشى"),
        ("түсініктеме", "تۇسىنىكتەمە"),  # е and к already mark it front: no hamza
        ("Редакция", "رەداكسيا"),
        ("Иә, сенімдімін?", "ٴيا، سەنىمدىمىن؟"),
    ],
)
def test_kazakh_arabic_script_with_the_hamza_rule(cyrillic, arabic):
    assert kk_cyrl_to_arab(cyrillic) == arabic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Saqlash va yangisini qo'shish", "Сақлаш ва янгисини қўшиш"),
        ("Oʻzgartirish", "Ўзгартириш"),
        ("Yo'q", "Йўқ"),
        ("Elektron pochta", "Электрон почта"),
        ("ta'lim", "таълим"),
        ("sentabr", "сентябр"),
    ],
)
def test_uzbek_latin_to_cyrillic(latin, cyrillic):
    assert uz_latn_to_cyrl(latin) == cyrillic


@pytest.mark.parametrize("convert", [kk_cyrl_to_latn, kk_cyrl_to_arab])
def test_placeholders_markup_and_urls_survive_kazakh_conversion(convert):
    text = (
        '%(name)s «%(obj)s» %s {0} {name} %(num)d %% <a href="https://example.kz/а,б">сілтеме</a>'
        " &amp; JSON get_absolute_url() YYYY-MM-DD HH:MM[:ss[.uuuuuu]]"
    )
    result = convert(text)
    for kept in [
        "%(name)s", "%(obj)s", "%s", "{0}", "{name}", "%(num)d", "%%",
        '<a href="https://example.kz/а,б">', "</a>", "&amp;", "JSON", "get_absolute_url()",
        "YYYY-MM-DD HH:MM[:ss[.uuuuuu]]",
    ]:  # fmt: skip
        assert kept in result
    assert "сілтеме" not in result


def test_placeholders_survive_uzbek_conversion():
    text = "'%(name)s' {obj} <strong>%(username)s</strong> o'chirildi &amp; URL"
    assert (
        uz_latn_to_cyrl(text) == "'%(name)s' {obj} <strong>%(username)s</strong> ўчирилди &amp; URL"
    )
