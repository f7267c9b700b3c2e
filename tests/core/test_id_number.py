import datetime as dt

import pytest

from grassroots.core import id_number

# A published sample number with the check character X.
SAMPLE_X = "11010519491231002X"


def test_parse_returns_birth_date_and_sex_when_number_is_valid():
    info = id_number.parse(SAMPLE_X)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "female"
    assert info.region == "110105"


def test_parse_accepts_lower_case_x_and_spaces_when_normalizing():
    assert id_number.parse(" 11010519491231002x ").number == SAMPLE_X


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", "length"),
        ("1101051949123100211", "length"),
        ("11010519491231A02X", "chars"),
        ("11010519491231002Y", "chars"),
        ("110105194902300021", "birth_date"),
        ("110105189912310021", "birth_date"),
        ("110105194912310021", "checksum"),
    ],
)
def test_parse_refuses_with_reason_when_number_is_invalid(raw, reason):
    with pytest.raises(id_number.InvalidIdNumber) as exc:
        id_number.parse(raw)
    assert exc.value.reason == reason


@pytest.mark.parametrize("sequence", [0, 1, 2, 999])
def test_make_builds_numbers_that_parse_when_any_sequence(sequence):
    number = id_number.make("440305", dt.date(2000, 2, 29), sequence)
    info = id_number.parse(number)
    assert info.birth_date == dt.date(2000, 2, 29)
    assert info.sex == ("male" if sequence % 2 else "female")


def test_mask_keeps_only_the_region_when_masking():
    assert id_number.mask(SAMPLE_X) == "110105************"
    assert id_number.mask("12345") == "*****"


def test_legacy_mask_kept_the_region_and_last_four():
    assert id_number.legacy_mask(SAMPLE_X) == "110105********002X"
    assert id_number.legacy_mask("123456789") == "*********"  # too short to keep anything


@pytest.mark.parametrize(
    ("text", "expected"),
    [("11010519491231002X", True), ("11010519491231002x", True), ("110105194912310021", True),
     ("11010519491231002", False), ("1101051949123100Y2", False), ("１１０１０５１９４９１２３１００２Ｘ", False)],
)  # fmt: skip
def test_full_query_knows_a_whole_id_number_when_given_one(text, expected):
    assert id_number.full_query(text) is expected


def test_tail_query_reads_the_last_four_characters_only_when_given_them():
    assert id_number.tail_query("1234") == "1234"
    assert id_number.tail_query(" 123x ") == "123X"
    assert id_number.tail_query("12345") is None
    assert id_number.tail_query("12a4") is None
    assert id_number.tail_query("123Y") is None
    assert id_number.tail_query("１２３４") is None  # full-width: the search normalises first


@pytest.mark.parametrize("region", ["000000", "990101", "100101", "010101", "110001", "440099"[:2] + "0012"])
def test_parse_refuses_an_address_code_no_edition_of_gb_t_2260_allows_with_reason_region(region):
    number = id_number.make(region, dt.date(1980, 5, 17), 11)  # a valid check character
    with pytest.raises(id_number.InvalidIdNumber) as exc:
        id_number.parse(number)
    assert exc.value.reason == "region"


@pytest.mark.parametrize(
    "region",
    [
        "110101",
        "441900",
        "442000",
        "429004",
        "460105",
        "500101",
        "710000",
        "810000",
        "820000",
        "830000",
        "659001",
    ],
    ids=[
        "district",
        "dongguan",
        "zhongshan",
        "xiantao",
        "hainan",
        "chongqing",
        "taiwan",
        "hk",
        "macao",
        "tw-permit",
        "xinjiang-county-city",
    ],
)
def test_parse_accepts_real_address_codes_including_prefecture_and_permit_codes(region):
    assert id_number.parse(id_number.make(region, dt.date(1980, 5, 17), 11)).region == region
