import pytest

from grassroots.core import pinyin


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("曾国藩", "zengguofan", "zgf"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("李 四", "lisi", "ls"),
    ],
)
def test_keys_give_pinyin_and_initials_when_name_is_chinese(name, full, initials):
    assert pinyin.keys(name) == (full, initials)


def test_sort_key_orders_by_pinyin_when_sorting_names():
    assert sorted(["张三", "李四", "王五"], key=pinyin.sort_key) == ["李四", "王五", "张三"]


def test_sort_key_orders_by_surname_syllable_first_when_one_syllable_begins_another():
    # 李 li before 林 lin whatever follows: the joined pinyin "linan" would sort before "lining".
    assert sorted(["林安", "李宁", "李娜", "林阿"], key=pinyin.sort_key) == ["李娜", "李宁", "林阿", "林安"]
    assert "linan" < "lining"  # what the concatenated key would have done
