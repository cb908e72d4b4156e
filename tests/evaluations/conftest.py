import pytest

from tests.evaluations.records import parent_year_of


@pytest.fixture
def parent_year(team):
    return parent_year_of(team)
