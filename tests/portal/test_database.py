import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.database import parse_database_url


def test_database_url_with_host_port_and_password():
    assert parse_database_url("postgres://portal:m%40t@db.example.vn:6432/tintuc") == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tintuc",
        "USER": "portal",
        "PASSWORD": "m@t",
        "HOST": "db.example.vn",
        "PORT": "6432",
    }


def test_database_url_with_a_socket_directory():
    config = parse_database_url("postgresql://postgres:@/postgres?host=/work/var/pgdata")
    assert config["HOST"] == "/work/var/pgdata"
    assert config["NAME"] == "postgres"
    assert config["PORT"] == ""


def test_a_database_url_that_is_not_postgres_is_refused():
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        parse_database_url("sqlite:///db.sqlite3")
