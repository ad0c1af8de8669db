"""Nothing a user reads names one prefecture's words (issue #20): the templates, the Japanese
catalogs and the string literals of the code (docstrings, migrations, the demo and Kochi's own
data left out) never say 福祉保健所, あったかふれあい, 青年期の集い or 令和5年度までに, nor 県 other
than in 都道府県: the health offices' name and 都／道／府／県 come from the center's profile
through ``core.vocabulary`` (%(health_office)s, %(prefecture_kind)s)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "core", "mfa", "directory", "notifications", "training", "supervision",
        "attendance", "feeds", "reports", "privacy", "surveys", "templates")  # fmt: skip
WORDS = re.compile(r"福祉保健所|あったかふれあい|青年期の集い|令和5年度までに|(?<!都道府)県")


def _skipped(relative: str) -> bool:
    return (
        "/migrations/" in relative
        or relative.endswith(("/demo.py", "/kochi.py"))
        or "/management/commands/" in relative  # operators' help texts name examples (徳島県)
        or relative == "directory/sources.py"  # the official list's own names
        or relative == "core/center.py"  # where 都／道／府／県 is read off the prefecture's name
        or relative == "directory/areas.py"  # reads 保健所 and 福祉保健所 off an office's name
    )


def _literals(source: str) -> list[str]:
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _msgstrs(text: str) -> list[str]:
    found = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'msgstr((?:\s*".*")+)', block)
        if match:
            found.append("".join(re.findall(r'"(.*)"', match.group(1))))
    return found


def test_no_text_a_user_reads_names_one_prefectures_words():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            relative = str(path.relative_to(ROOT))
            if not path.is_file() or _skipped(relative):
                continue
            if path.suffix == ".py":
                texts = _literals(path.read_text(encoding="utf-8"))
            elif path.suffix in {".html", ".txt"}:
                texts = [path.read_text(encoding="utf-8")]
            elif path.suffix == ".po":
                texts = _msgstrs(path.read_text(encoding="utf-8"))
            else:
                continue
            found += [
                (relative, WORDS.search(t).group(0), t[:80]) for t in texts if WORDS.search(t)
            ]

    assert found == []


def test_the_check_finds_a_word_where_it_would_be_read():
    assert WORDS.search("（なし・県外）") and WORDS.search("福祉保健所職員")
    assert not WORDS.search("都道府県が見つかりません。")
    assert _literals('"""県の説明"""\nX = "県外"\n') == ["県外"]
    assert _msgstrs('msgid "a"\nmsgstr ""\n"県の"\n"報告書"\n') == ["県の報告書"]
