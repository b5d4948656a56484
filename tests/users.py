"""Staff users for both host shops' tests; depends on no shop's models."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "secret")

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        for perm in extracted or []:
            app_label, codename = perm.split(".")
            self.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        if create:
            self.save()
