"""Settings from the environment: typed, and loud about values they cannot parse."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from workbench.env import envbool, envint, envlist, envstr

NAME = "WB_TEST_SETTING"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(f"{NAME}_FILE", raising=False)


# --- envbool ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "Yes", "on", " true "])
def test_envbool_reads_true(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert envbool(NAME, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "OFF"])
def test_envbool_reads_false(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert envbool(NAME, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_envbool_uses_the_default_when_unset(default):
    assert envbool(NAME, default) is default


@pytest.mark.parametrize("raw", ["maybe", "ture", "2", "y e s"])
def test_envbool_refuses_garbage(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured, match=NAME):
        envbool(NAME, False)


# --- envint ----------------------------------------------------------------------------------


def test_envint_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv(NAME, "42")

    assert envint(NAME, 0) == 42


def test_envint_reads_a_negative_number_and_surrounding_spaces(monkeypatch):
    monkeypatch.setenv(NAME, " -3 ")

    assert envint(NAME, 0) == -3


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_envint_uses_the_default_when_unset_or_blank(monkeypatch, raw):
    if raw is not None:
        monkeypatch.setenv(NAME, raw)

    assert envint(NAME, 20) == 20


@pytest.mark.parametrize("raw", ["twenty", "1.5", "20s", "0x10"])
def test_envint_refuses_garbage(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint(NAME, 0)


# --- envlist ---------------------------------------------------------------------------------


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv(NAME, " example.com, ,www.example.com ,,")

    assert envlist(NAME) == ["example.com", "www.example.com"]


def test_envlist_uses_the_default_when_unset():
    assert envlist(NAME, "127.0.0.1,localhost") == ["127.0.0.1", "localhost"]
    assert envlist(NAME) == []


def test_envlist_reads_from_a_file_too(monkeypatch, tmp_path):
    secret = tmp_path / "hosts"
    secret.write_text("a.example,b.example\n", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))

    assert envlist(NAME) == ["a.example", "b.example"]


# --- envstr and NAME_FILE --------------------------------------------------------------------


def test_envstr_reads_the_variable_or_the_default(monkeypatch):
    assert envstr(NAME, "fallback") == "fallback"
    monkeypatch.setenv(NAME, "value")
    assert envstr(NAME, "fallback") == "value"


def test_name_file_wins_over_name(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("  from-the-file\n", encoding="utf-8")
    monkeypatch.setenv(NAME, "from-the-variable")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))

    assert envstr(NAME) == "from-the-file"


def test_an_empty_name_file_variable_is_ignored(monkeypatch):
    monkeypatch.setenv(NAME, "from-the-variable")
    monkeypatch.setenv(f"{NAME}_FILE", "")

    assert envstr(NAME) == "from-the-variable"


def test_a_missing_name_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "does-not-exist"))

    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        envstr(NAME, "default")


@pytest.mark.parametrize("raw", ["", "   "])
def test_a_blank_value_counts_as_unset(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert envbool(NAME, True) is True
    assert envint(NAME, 7) == 7
    assert envstr(NAME, "default") == "default"


def test_name_file_works_for_every_type(monkeypatch, tmp_path):
    secret = tmp_path / "value"
    secret.write_text("42\n")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))

    assert envint(NAME, 0) == 42
