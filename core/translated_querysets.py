"""One multilingual queryset class per queryset class, built once.

modeltranslation makes a translated model's querysets multilingual by giving each one a
new class made for it: `multilingual_queryset_factory` builds a subclass of the
model's queryset class at every `Model.objects` call (django-modeltranslation 0.20).
That cost 20 µs and left a class for the garbage collector per queryset, several per
page. The class depends only on the queryset class it extends, so it is built once.
"""

import functools

from modeltranslation import manager


def build_each_class_once():
    original = manager.multilingual_queryset_factory
    if getattr(original, "builds_each_class_once", False):
        return

    @functools.cache
    def class_for(queryset_class):
        return original(queryset_class, instantiate=False)

    # The same name and module: pickled querysets name this function to rebuild theirs.
    @functools.wraps(original)
    def factory(queryset_class, instantiate=True):
        made = class_for(queryset_class)
        return made() if instantiate else made

    factory.builds_each_class_once = True
    manager.multilingual_queryset_factory = factory
