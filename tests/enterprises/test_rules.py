import pytest

from app.enterprises.rules import uscc_check_char, uscc_error


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed in GB 32100-2015's explanatory material
        "91320700MA1MXXXX4X"[:17] + uscc_check_char("91320700MA1MXXXX4"),
    ],
)
def test_valid_codes(code):
    assert uscc_error(code) is None


@pytest.mark.parametrize(
    "code, why",
    [
        ("91350100M000100Y44", "check digit does not match"),
        ("91350100M000100Y4", "must be 18 characters"),
        ("91350100M000100Y433", "must be 18 characters"),
        ("91350100I000100Y43", "contains characters not allowed in a credit code: I"),
        ("91350100m000100Y43", "contains characters not allowed in a credit code: m"),
        ("9135010OS000100Y43", "contains characters not allowed in a credit code: OS"),
    ],
)
def test_invalid_codes(code, why):
    assert uscc_error(code) == why


def test_check_char_of_a_zero_sum_is_zero():
    assert uscc_check_char("0" * 17) == "0"
