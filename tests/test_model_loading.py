"""Rows loaded straight into instances (core.loading) give what Django's own loading
gives: the same values, the same deferred fields, and instances that save, refresh,
pickle and translate as before. Querysets of translated models share their class
(core.translated_querysets)."""

import pickle

import pytest
from django.db import models
from django.db.models.signals import pre_init
from django.utils import translation
from modeltranslation.manager import MultilingualQuerySet

from news.models import Article, ArticleQuerySet, Category, Tag
from tests.builders import image_upload, make_article, make_category, make_tag

pytestmark = pytest.mark.django_db


def djangos_own_loading(model, row):
    """`row` (an instance) loaded again the way Django's Model.from_db() does."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in vars(row)]
    return models.Model.from_db.__func__(model, row._state.db, names, [vars(row)[n] for n in names])


def fields_of(instance):
    return {
        name: value
        for name, value in vars(instance).items()
        if name not in ("_state", "_prefetched_objects_cache")
    }


def test_a_listed_article_has_the_values_and_deferred_fields_djangos_loading_gives():
    make_article("Senate", codes=("en", "ru"), image=image_upload())
    with translation.override("ru"):
        [listed] = Article.objects.for_readers().for_listing()
        theirs = djangos_own_loading(Article, listed)
        assert listed.get_deferred_fields() == theirs.get_deferred_fields()
        assert listed.get_deferred_fields()  # other editions' texts and the body
        assert fields_of(listed) == fields_of(theirs)
        assert (listed.title, listed.image.width) == (theirs.title, theirs.image.width)
        assert listed._state.adding is False and listed._state.db == "default"


def test_a_deferred_field_is_read_when_asked_for_as_before():
    make_article("Senate", body_en="<p>The whole text</p>")
    [listed] = Article.objects.for_readers().for_listing()
    assert "body_en" in listed.get_deferred_fields()
    assert listed.body == "<p>The whole text</p>"


def test_a_loaded_article_saves_only_what_was_read_and_refreshes():
    article = make_article("Senate")
    listed = Article.objects.only("pk", "title_en", "updated_at").get(pk=article.pk)
    listed.title_en = "Senate votes"
    listed.save()
    article.refresh_from_db()
    assert article.title_en == "Senate votes"
    assert article.lead_en  # not read, so not overwritten
    listed.refresh_from_db(fields=["lead_en"])
    assert listed.lead_en == article.lead_en


def test_a_loaded_instance_pickles_and_translates_as_a_made_one():
    category = make_category("politics")
    make_article("Senate", category=category, tags=[make_tag("senate")])
    loaded = Category.objects.get(pk=category.pk)
    copy = pickle.loads(pickle.dumps(loaded))
    with translation.override("ru"):
        assert copy.name == loaded.name == category.name_ru
    assert not hasattr(loaded, "_mt_init")


def test_with_a_pre_init_receiver_djangos_loading_is_used():
    make_category("politics")
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    pre_init.connect(receiver, sender=Category)
    try:
        Category.objects.get(slug="politics")
    finally:
        pre_init.disconnect(receiver, sender=Category)
    assert seen == [Category]


def test_querysets_of_a_translated_model_share_one_multilingual_class():
    first, second = Article.objects.all(), Article.objects.for_readers()
    assert type(first) is type(second)
    assert isinstance(first, ArticleQuerySet) and isinstance(first, MultilingualQuerySet)
    assert type(Tag.objects.all()) is not type(first)


def test_a_pickled_queryset_of_a_translated_model_comes_back_whole():
    make_tag("senate")
    with translation.override("ru"):
        names = Tag.objects.filter(slug="senate").values_list("name", flat=True)
        copy = pickle.loads(pickle.dumps(names))
        assert type(copy) is type(names)
        assert list(copy) == list(names) == ["Метка [ru]"]
