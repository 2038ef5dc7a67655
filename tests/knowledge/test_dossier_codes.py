import pytest

from knowledge.dossier_codes import EXAMPLE_CODE, find_code, looks_like_code_attempt, mask_code


@pytest.mark.parametrize(
    "text",
    [
        "000.00.07.H29-261101-0042",
        "tra cứu hồ sơ 000.00.07.H29-261101-0042 giúp mình",
        "000.00.07.h29-261101-0042",
        " 000.00.07.H29 - 261101 - 0042 ",
        "000 . 00 . 07 . H29-261101-0042",
        "mã: 000.00.07.H29–261101–0042.",  # en dashes from a word processor
        "ma ho so 000.00.07.h29_261101_0042",
    ],
)
def test_accepts_stray_spaces_case_and_dashes(text):
    assert find_code(text) == EXAMPLE_CODE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tra cứu hồ sơ",
        "000.00.07.H29-2611-0042",  # date too short
        "000.00.07.H29-261301-0042",  # month 13
        "000.00.07.H29-261101-42",  # sequence too short
        "000.00.07.H29-261101-00421",  # sequence too long
        "ABC.DEF-261101-0042",  # agency without a digit
        "0912345678",
    ],
)
def test_rejects_malformed_codes(text):
    assert find_code(text) is None


@pytest.mark.parametrize("text", ["000.00.07.H29-2611-0042", "H29-261101-42", "mã hồ sơ 000.00.07-261101"])
def test_malformed_codes_are_recognised_as_attempts(text):
    assert looks_like_code_attempt(text)


@pytest.mark.parametrize("text", ["tra cứu hồ sơ", "hồ sơ của tôi đến đâu rồi", "1234", "ngày 12-11"])
def test_plain_sentences_are_not_code_attempts(text):
    assert not looks_like_code_attempt(text)


def test_mask_code_hides_the_sequence_number():
    assert mask_code(EXAMPLE_CODE) == "000.00.07.H29-261101-****"
