from attendance.kana import gojuon_key, to_hiragana


def test_kana_order_is_gojuon_with_voiced_after_plain():
    readings = [
        "きむら",
        "がとう",
        "かとう",
        "ヤマダ",
        "ゃまだ",
        "あべ",
        "ばば",
        "はは",
        "ぱぱ",
        "ｱｵｷ",
    ]

    ordered = sorted(readings, key=gojuon_key)

    assert ordered == [
        "ｱｵｷ", "あべ", "かとう", "がとう", "きむら", "はは", "ばば", "ぱぱ", "ヤマダ", "ゃまだ",
    ]  # fmt: skip


def test_kana_empty_readings_sort_last_by_name():
    people = [("", "乙"), ("わだ", "和田"), ("", "甲"), ("あだち", "足立")]

    ordered = sorted(people, key=lambda p: gojuon_key(*p))

    assert ordered == [("あだち", "足立"), ("わだ", "和田"), ("", "乙"), ("", "甲")]


def test_kana_spaces_are_ignored():
    assert gojuon_key("やまだ たろう")[:3] == gojuon_key("やまだたろう")[:3]


def test_to_hiragana_turns_katakana_and_half_width():
    assert to_hiragana("ヤマダ ﾀﾛｳ") == "やまだ たろう"
