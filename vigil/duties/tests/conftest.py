import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Test users are made by the dozen; the real hasher's cost buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
