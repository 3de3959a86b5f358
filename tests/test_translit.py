"""Kazakh and Uzbek script conversion, as used for the admin catalogs."""

import re

import pytest

from core.translit import kk_cyrl_to_arab, kk_cyrl_to_latn, uz_latn_to_cyrl


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
        ("станциясын", "stansiiasyn"),  # the 2021 alphabet has no ц: it writes s
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
        ("Редакция", "رەداكتسييا"),  # every letter written: и before я, ц as تس
        ("Иә, сенімдімін?", "ٴيا، سەنىمدىمىن؟"),
    ],
)
def test_kazakh_arabic_script_with_the_hamza_rule(cyrillic, arabic):
    assert kk_cyrl_to_arab(cyrillic) == arabic


# Sentences of real news (news/demo/content.json), with the Latin and Arabic-script
# texts the agency's editors wrote for them.
NEWS_SENTENCES = [
    (
        "Сенат Өзбекстанмен автомобиль тасымалы туралы келісімді ратификациялады",
        "Senat Özbekstanmen avtomobil tasymaly turaly kelısımdı ratifikasiialady",
        "سەنات وزبەكستانمەن اۆتوموبيل تاسىمالى تۋرالى كەلىسىمدى راتيفيكاتسييالادى",
    ),
    (
        "Сенат Төрағасы Мәулен Әшімбаев Мұсылман ақсақалдары кеңесінің Бас хатшысы "
        "Мохамед Абдельсаламмен кездесті, деп хабарлайды Сенаттың баспасөз қызметі.",
        "Senat Törağasy Mäulen Äşımbaev Mūsylman aqsaqaldary keñesınıñ Bas hatşysy "
        "Mohamed Abdelsalammen kezdestı, dep habarlaidy Senattyñ baspasöz qyzmetı.",
        "سەنات توراعاسى ماۋلەن اشىمباەۆ مۇسىلمان اقساقالدارى كەڭەسىنىڭ باس حاتشىسى "
        "موحامەد ابدەلسالاممەن كەزدەستى، دەپ حابارلايدى سەناتتىڭ باسپاسوز قىزمەتى.",
    ),
    (
        "Сенаторлар Өзбекстан Орталық Азиядағы Қазақстанның басты сауда серіктестерінің "
        "бірі екенін, ал келісім өңірдің көлік дәліздері арқылы жүк тасымалы мен "
        "транзиттің өсуіне ықпал ететінін атап өтті.",
        "Senatorlar Özbekstan Ortalyq Aziiadağy Qazaqstannyñ basty sauda serıktesterınıñ "
        "bırı ekenın, al kelısım öñırdıñ kölık dälızderı arqyly jük tasymaly men "
        "tranzittıñ ösuıne yqpal etetının atap öttı.",
        "سەناتورلار وزبەكستان ورتالىق ازيياداعى قازاقستاننىڭ باستى ساۋدا سەرىكتەستەرىنىڭ "
        "ٴبىرى ەكەنىن، ال كەلىسىم ٴوڭىردىڭ كولىك دالىزدەرى ارقىلى جۇك تاسىمالى مەن "
        "ترانزيتتىڭ وسۋىنە ىقپال ەتەتىنىن اتاپ ٴوتتى.",
    ),
    (
        "Рейстер аптасына екі рет ұшақтармен орындалады, ұшу уақыты шамамен үш жарым "
        "сағатқа созылады. Әуе компаниясы сұранысқа қарай рейстер санын көбейтуді "
        "жоспарлап отыр.",
        "Reister aptasyna ekı ret ūşaqtarmen oryndalady, ūşu uaqyty şamamen üş jarym "
        "sağatqa sozylady. Äue kompaniiasy sūranysqa qarai reister sanyn köbeitudı "
        "josparlap otyr.",
        "رەيستەر اپتاسىنا ەكى رەت ۇشاقتارمەن ورىندالادى، ۇشۋ ۋاقىتى شامامەن ٴۇش جارىم "
        "ساعاتقا سوزىلادى. اۋە كومپانيياسى سۇرانىسقا قاراي رەيستەر سانىن كوبەيتۋدى "
        "جوسپارلاپ وتىر.",
    ),
]


@pytest.mark.parametrize(("cyrillic", "latin", "arabic"), NEWS_SENTENCES)
def test_news_sentences_match_what_the_editors_wrote(cyrillic, latin, arabic):
    assert kk_cyrl_to_latn(cyrillic) == latin
    assert kk_cyrl_to_arab(cyrillic) == arabic


@pytest.mark.parametrize(
    ("cyrillic", "arabic"),
    [
        ("дәстүрлі", "ٴداستۇرلى"),  # all front: hamza
        ("баспасөз", "باسپاسوز"),  # баспа + сөз: a back vowel, no hamza
        ("Төрағасы", "توراعاسى"),  # ғ is only ever back
        ("өңіраралық", "وڭىرارالىق"),
        ("медициналық", "مەديتسينالىق"),
    ],
)
def test_arabic_script_hamza_only_on_words_read_as_front(cyrillic, arabic):
    assert kk_cyrl_to_arab(cyrillic) == arabic


def test_a_real_body_keeps_its_markup_untouched():
    body = (
        '<p>Мемлекет басшысы <a href="https://akorda.kz/kk/news" title="Ақорда">Ақорда</a> '
        "сайтында <strong>мәлімдеме</strong> жасады, 1,5 млн теңге &amp; т.б.</p>\n"
        '<ul><li class="note">Бірінші</li></ul>'
    )
    latin = kk_cyrl_to_latn(body)
    arabic = kk_cyrl_to_arab(body)
    tags = re.compile(r"<[^>]+>")
    assert tags.findall(latin) == tags.findall(body) == tags.findall(arabic)
    assert latin == (
        '<p>Memleket basşysy <a href="https://akorda.kz/kk/news" title="Ақорда">Aqorda</a> '
        "saitynda <strong>mälımdeme</strong> jasady, 1,5 mln teñge &amp; t.b.</p>\n"
        '<ul><li class="note">Bırınşı</li></ul>'
    )
    assert "1,5" in arabic and "&amp;" in arabic
    assert ">اقوردا</a>" in arabic and ">ٴبىرىنشى</li>" in arabic


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
