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
