"""CVR numbers: 8 digits passing the modulus-11 check with weights 2,7,6,5,4,3,2,1."""

import pytest

from taskboerse.services.companies import is_valid_cvr


@pytest.mark.parametrize("cvr", ["10150817", "25313763", "30000013"])
def test_valid_cvr(cvr: str) -> None:
    assert is_valid_cvr(cvr)


@pytest.mark.parametrize(
    "cvr", ["10150818", "12345678", "1015081", "101508170", "abcdefgh", "", "00000000", "1015 817"]
)
def test_invalid_cvr(cvr: str) -> None:
    assert not is_valid_cvr(cvr)
