"""Unit tests of feedback.privacy (scrubbing, pseudonyms, small groups) and feedback.io safety."""

from __future__ import annotations

import csv
import os

import pandas as pd
import pytest

from feedback.exceptions import FeedbackError, OutputError
from feedback.io import check_not_input, neutralise_cell, write_table, write_text
from feedback.privacy import (
    Pseudonymiser,
    anonymise_tables,
    first_names,
    has_personal_details,
    is_person,
    learn_people,
    merge_small_groups,
    nhs_number_valid,
    private_count,
    pseudonymise_items,
    safe_quote,
    scrub_text,
)
from feedback.schema import Col, Kind, PCol, Role, items_from_records, participants_from_records


# -- NHS numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),  # 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 11 - 299 % 11 = 9
        ("4010232137", True),  # total 92; 11 - 92 % 11 = 7
        ("1234567830", True),  # total 187 = 17 * 11: check digit 11 becomes 0
        ("9434765918", False),  # wrong check digit
        ("9434765910", False),
        ("943476591", False),  # 9 digits
        ("94347659190", False),  # 11 digits
        ("943 476 5919", False),  # the function takes bare digits
        ("943476591X", False),
        ("", False),
        ("９４３４７６５９１９", False),  # full-width digits are not an NHS number
    ],
)
def test_nhs_number_check_digit(digits, valid):
    assert nhs_number_valid(digits) is valid


def test_nhs_number_whose_check_digit_would_be_10_is_never_valid():
    # 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 210, 210 % 11 = 1, so the check digit would be 10.
    assert [nhs_number_valid(f"123456789{d}") for d in range(10)] == [False] * 10


# -- scrubbing ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phones: UK and international forms
        ("Call 07700 900123 today", "Call [phone] today"),
        ("+44 7700 900123", "[phone]"),
        ("Office: +44 (0)20 7946 0018.", "Office: [phone]."),
        ("020 7946 0018", "[phone]"),
        ("US office +1 415 555 0100", "US office [phone]"),
        ("Dublin +353 1 234 5678, ask for me", "Dublin [phone], ask for me"),
        ("+1 (415) 555-0100", "[phone]"),
        ("(415) 555-0100", "[phone]"),
        ("(020) 7946 0018", "[phone]"),
        ("07700900123", "[phone]"),
        ("+447700900123", "[phone]"),
        ("020-7946-0018", "[phone]"),
        ("call 0044 20 7946 0018", "call [phone]"),
        ("Tel. 01632 960 001", "Tel. [phone]"),
        # NHS numbers: valid check digit, spaced 3-3-4 or not
        ("NHS number 943 476 5919", "NHS number [nhs number]"),
        ("9434765919", "[nhs number]"),
        ("NHS no: 943-476-5919, ok", "NHS no: [nhs number], ok"),
        ("(4010232137)", "([nhs number])"),
        # an invalid check digit is left alone
        ("Form reference 943 476 5918", "Form reference 943 476 5918"),
        ("9434765918", "9434765918"),
        # UK postcodes
        ("our clinic is at LS1 4AP, drop in", "our clinic is at [postcode], drop in"),
        ("SW1A 1AA", "[postcode]"),
        ("sw1a 1aa", "[postcode]"),
        ("EC1A1BB", "[postcode]"),
        ("M1 1AE", "[postcode]"),
        # emails
        ("mail caroline.jones@example.org.", "mail [email]."),
        ("A.B+tag@sub.example.co.uk", "[email]"),
        ("@caroline.jones@example.org", "@[email]"),
        ("jo.bloggs [at] example [dot] org", "[email]"),
        ("jo(at)example.org", "[email]"),
        # meeting join links keep only their service (#13: changed from "[url]")
        (
            "rejoin https://us02web.zoom.us/j/85261304471?pwd=SeCrEt99 now",
            "rejoin [meeting link] (zoom.us) now",
        ),
        ("(https://zoom.us/j/1?pwd=x)", "([meeting link] (zoom.us))"),
        ("zoom.us/j/85261304471?pwd=abcDEF123", "[meeting link] (zoom.us)"),
        ("https://zoom.us/j/85261304471", "[meeting link] (zoom.us)"),
        (
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZTU2%40thread.v2/0"
            "?context=%7b%22Tid%22%3a%2272f988bf-86f1%22%2c%22Oid%22%3a%22d1c2%22%7d",
            "[meeting link] (teams.microsoft.com)",
        ),
        ("join: meet.google.com/abc-defg-hij.", "join: [meeting link] (meet.google.com)."),
        ("Google Meet code: abc-defg-hij", "Google Meet code: [meeting code]"),
        ("a one-time-use code", "a one-time-use code"),
        ("https://nhs.webex.com/nhs/j.php?MTID=m8f9e7d6c5b4a", "[meeting link] (webex.com)"),
        ("https://global.gotowebinar.com/join/123456789/987", "[meeting link] (gotowebinar.com)"),
        ("https://zoom.us and https://www.webex.com", "https://zoom.us and https://www.webex.com"),
        ("Passcode: 8sT2k9", "Passcode: [token]"),
        # tokens in any query
        (
            "https://example.org/p?ref=a8F3kd92x&lang=en",
            "https://example.org/p?ref=[token]&lang=en",
        ),
        (
            "https://example.org/a?utm_source=newsletter",
            "https://example.org/a?utm_source=newsletter",
        ),
        # links with personal tokens; profile links
        ("https://forms.example.org/f?email=a%40b.org", "[url]"),
        ("https://example.org/f?x=1&email=a@b.org", "[url]"),
        ("slides: https://files.example.org/deck?token=T0K", "slides: [url]"),
        ("www.example.org/a?session=abc", "[url]"),
        ("https://www.linkedin.com/in/caroline-jones-123/", "[url]"),
        ("see linkedin.com/in/caroline-jones.", "see [url]."),
        ("https://x.com/carolinej", "[url]"),
        # ordinary links stay
        (
            "the guide: https://www.england.nhs.uk/spread-and-adoption/.",
            "the guide: https://www.england.nhs.uk/spread-and-adoption/.",
        ),
        ("https://www.linkedin.com/company/nhs", "https://www.linkedin.com/company/nhs"),
        # numbers that are not personal details stay
        ("10:00-11:00", "10:00-11:00"),
        ("2019-2024", "2019-2024"),
        ("12,000 patients in 2023", "12,000 patients in 2023"),
        ("Meeting ID: 852 6130 4471", "Meeting ID: 852 6130 4471"),
        ("on 12/03/2026 at 10:30", "on 12/03/2026 at 10:30"),
        ("£1,250,000 budget", "£1,250,000 budget"),
        ("ISBN 978-0-306-40615-7", "ISBN 978-0-306-40615-7"),
        ("meet me (at) 10.30", "meet me (at) 10.30"),
        ("", ""),
    ],
)
def test_scrub_text(text, expected):
    assert scrub_text(text) == expected


def test_scrub_text_mixed_message():
    text = (
        "Caroline here: caroline.jones@example.org, 07700 900123, +44 (0)20 7946 0018, "
        "NHS 943 476 5919 (not 943 476 5918), LS1 4AP, "
        "https://us02web.zoom.us/j/85261304471?pwd=SeCrEt99 and https://www.england.nhs.uk/x"
    )
    assert scrub_text(text) == (
        "Caroline here: [email], [phone], [phone], NHS [nhs number] (not 943 476 5918), "
        "[postcode], [meeting link] (zoom.us) and https://www.england.nhs.uk/x"
    )


def test_scrub_text_is_idempotent():
    text = "mail a.b@example.org or 07700 900123 at SW1A 1AA https://zoom.us/j/1?pwd=x"
    once = scrub_text(text)
    assert (
        scrub_text(once) == once == "mail [email] or [phone] at [postcode] [meeting link] (zoom.us)"
    )


def test_has_personal_details():
    assert has_personal_details("+44 7700 900888")
    assert has_personal_details("caroline.jones@example.org")
    assert not has_personal_details("Caroline Jones")
    assert not has_personal_details("")


@pytest.mark.parametrize(
    ("recipient", "person"),
    [
        ("Sam Okoye", True),
        ("Everyone", False),
        ("everyone", False),
        ("All panelists and attendees", False),
        ("Hosts and panelists", False),
        ("All Panelists", False),
        ("Alle Teilnehmer", False),
        ("", False),
    ],
)
def test_is_person(recipient, person):
    assert is_person(recipient) is person


# -- pseudonyms -----------------------------------------------------------------------------------
def test_pseudonyms_are_stable_within_a_run_and_numbered_in_order():
    p = Pseudonymiser()
    shown = [
        p.name(n)
        for n in ["Sam Okoye", "Caroline Jones", "sam okoye", "Dr Sam Okoye", "Sam Okoye (he/him)"]
    ]
    assert shown == ["Participant 1", "Participant 2", "Participant 1", "Participant 1",
                     "Participant 1"]  # fmt: skip
    assert p.name("Priya Shah") == "Participant 3"
    assert p.name("Caroline Jones") == "Participant 2"
    assert p.name("") == ""
    assert p.name("   ") == ""


def test_learn_fixes_the_numbering_order():
    p = Pseudonymiser()
    p.learn(["Priya Shah", "Sam Okoye"])
    assert p.name("Sam Okoye") == "Participant 2"
    assert p.name("Caroline Jones") == "Participant 3"


def test_prefix():
    p = Pseudonymiser(prefix="Attendee")
    assert p.name("Sam Okoye") == "Attendee 1"


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Dr Amara Okafor", "Amara"),
        ("Okafor, Chidi", "Chidi"),
        ("Kate Mills (Katherine Mills)", "Kate"),
        ("Jo Hartley (she/her)", "Jo"),
        ("Carys Morgan, RN", "Carys"),
        ("Prof. Sam Okoye PhD", "Sam"),
        ("Marie-Claire Tremblay", "Marie-Claire"),
    ],
)
def test_first_mode(name, first):
    assert Pseudonymiser("first").name(name) == first
    assert first_names([name]) == [first]


def test_full_mode_keeps_names():
    p = Pseudonymiser("full")
    assert p.name("Dr Amara Okafor") == "Dr Amara Okafor"
    assert p.name("Caroline Jones") == "Caroline Jones"
    p.remember("Caroline Jones")
    assert p.replace_in_text("Caroline Jones said") == "Caroline Jones said"
    assert p.key() == {}


@pytest.mark.parametrize("mode", ["first", "full"])
def test_names_that_are_contact_details_get_pseudonyms_in_every_mode(mode):
    p = Pseudonymiser(mode)
    assert p.name("+44 7700 900888") == "Participant 1"
    assert p.name("caroline.jones@example.org") == "Participant 2"
    assert p.name("Sam Okoye") == ("Sam" if mode == "first" else "Sam Okoye")


def test_invalid_mode():
    message = "--names 'nickname': expected one of pseudonym, first, full"
    with pytest.raises(FeedbackError, match=message):
        Pseudonymiser("nickname")


def test_kept_names_ignore_case_titles_and_pronouns():
    p = Pseudonymiser(keep=["jo hartley", "Dr Amara Okafor"])
    assert p.name("Jo Hartley") == "Jo Hartley"
    assert p.name("Jo Hartley (she/her)") == "Jo Hartley"
    assert p.name("Amara Okafor") == "Amara Okafor"
    assert p.name("Sam Okoye") == "Participant 1"
    assert Pseudonymiser("first", keep=["Jo Hartley"]).name("Jo Hartley") == "Jo Hartley"


def _people(*names: str, mode: str = "pseudonym", keep=()) -> Pseudonymiser:
    p = Pseudonymiser(mode, keep=keep)
    for name in names:
        p.remember(name)
    return p


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As Caroline Jones said", "As Participant 1 said"),
        # longest first: "Caroline Jonesworth" is not half-replaced as "Participant 1worth"
        ("As Caroline Jonesworth said", "As Participant 2 said"),
        ("caroline jonesworth and CAROLINE JONES", "Participant 2 and Participant 1"),
        ("@Caroline Jones thanks", "@Participant 1 thanks"),
        ("@Caroline Jonesworth thanks", "@Participant 2 thanks"),
        ("@Caroline can you share?", "@Participant 1 can you share?"),
        ("@caroline", "@Participant 1"),
        ("@CAROLINE", "@Participant 1"),
        ("Thanks Caroline!", "Thanks Participant 1!"),
        ("Jonesworth agreed", "Participant 2 agreed"),
        ("Jones agreed", "Participant 1 agreed"),
        ("Okoye's point", "Participant 3's point"),
        ("@okoye", "@Participant 3"),
        ("Sam-led project", "Participant 3-led project"),
        # first and last names alone, in any case and without accents (#13)
        ("thanks caroline", "thanks Participant 1"),
        ("okoye", "Participant 3"),
        ("agree with SAM", "agree with Participant 3"),
        # whole words only
        ("Samuel and Samantha", "Samuel and Samantha"),
        # emails and links are left whole for scrubbing
        ("Caroline.Jones@example.org", "Caroline.Jones@example.org"),
        ("[email] [phone]", "[email] [phone]"),
    ],
)
def test_replace_in_text(text, expected):
    p = _people("Caroline Jones", "Caroline Jonesworth", "Sam Okoye")
    assert p.replace_in_text(text) == expected


def test_kept_names_stay_whole_inside_text():
    # "Caroline Jones" is kept; "Caroline Jonesworth" is not: the kept name must neither be
    # half-replaced ("Participant 1 Jones") nor taken for the other person.
    p = _people("Caroline Jonesworth", "Caroline Jones", keep=["Caroline Jones"])
    assert p.replace_in_text("as Caroline Jones said") == "as Caroline Jones said"
    assert p.replace_in_text("as caroline jones said") == "as caroline jones said"
    assert p.replace_in_text("@Caroline Jones hi") == "@Caroline Jones hi"
    assert p.replace_in_text("Caroline Jonesworth agrees") == "Participant 1 agrees"
    # A first name shared with someone not kept is replaced: safer.
    assert p.replace_in_text("Caroline said") == "Participant 1 said"
    assert p.key() == {"Participant 1": "Caroline Jonesworth"}


def test_everyday_words_and_short_names_are_replaced_only_where_they_name_someone():
    # Changed by #13: such names are replaced where they address or name someone
    # (capitalised mid-sentence, after thanks or a greeting, @mentions, "X said").
    p = _people(
        "Grace Adeyemi", "Mark Ibbotson", "Jo Hartley", "Chris Fox", "Gillian Ward", "Will Osei"
    )
    assert p.replace_in_text("Grace said") == "Participant 1 said"
    assert p.replace_in_text("Grace Adeyemi said") == "Participant 1 said"
    assert p.replace_in_text("Adeyemi said") == "Participant 1 said"
    assert p.replace_in_text("a grace period") == "a grace period"
    assert p.replace_in_text("Mark my words, Ibbotson") == "Mark my words, Participant 2"
    assert p.replace_in_text("Jo and Hartley") == "Jo and Participant 3"
    assert p.replace_in_text("Chris, Fox") == "Participant 4, Participant 4"
    assert p.replace_in_text("the fox said") == "the fox said"
    assert p.replace_in_text("Ward said: ward sisters") == "Participant 5 said: ward sisters"
    assert p.replace_in_text("Will this be recorded? I agree with Will.") == (
        "Will this be recorded? I agree with Participant 6."
    )
    assert p.replace_in_text("thanks will, that will help") == (
        "thanks Participant 6, that will help"
    )
    assert p.replace_in_text("@mark great point; mark the date") == (
        "@Participant 2 great point; mark the date"
    )
    assert p.replace_in_text("Grace, can you share the link?") == (
        "Participant 1, can you share the link?"
    )


def test_comma_names_and_suffixes():
    p = _people("Okafor, Chidi", "Carys Morgan, RN")
    assert p.replace_in_text("Chidi Okafor and Okafor, Chidi") == "Participant 1 and Participant 1"
    assert p.replace_in_text("Chidi, Carys and Morgan") == (
        "Participant 1, Participant 2 and Participant 2"
    )


def test_names_with_digits_do_not_swallow_phone_numbers():
    # A dial-in caller's "name" is a phone number: its "+44" must not be taken for a first name.
    p = _people("+44 7700 900888", "Caroline Jones")
    assert p.replace_in_text("mobile +44 7700 900124") == "mobile +44 7700 900124"
    assert safe_quote("mobile +44 7700 900124, or +44 7700 900888", p) == (
        "mobile [phone], or [phone]"
    )


def test_first_mode_replaces_full_and_last_names_by_first_names():
    p = _people("Caroline Jonesworth", "Dr Amara Okafor", mode="first")
    assert p.replace_in_text("Caroline Jonesworth and Dr Okafor agreed; Jonesworth too") == (
        "Caroline and Dr Amara agreed; Caroline too"
    )


def test_key_maps_pseudonyms_to_real_names():
    p = Pseudonymiser(keep=["Jo Hartley"])
    p.learn(["Sam Okoye"])
    for name in ["Jo Hartley", "Caroline Jones", "Sam Okoye", "Dr Sam Okoye"]:
        p.remember(name)
    assert p.key() == {
        "Participant 1": "Sam Okoye; Dr Sam Okoye",
        "Participant 2": "Caroline Jones",
    }
    first = _people("Caroline Jones", "Caroline Jonesworth", mode="first")
    assert first.key() == {"Caroline": "Caroline Jones; Caroline Jonesworth"}


def test_safe_quote_scrubs_and_replaces():
    p = _people("Caroline Jones")
    assert safe_quote("Caroline Jones: Caroline.Jones@example.org, 07700 900123", p) == (
        "Participant 1: [email], [phone]"
    )


# -- tables ---------------------------------------------------------------------------------------
def _items() -> pd.DataFrame:
    chat = {Col.KIND: Kind.CHAT, Col.RECIPIENT: "Everyone"}
    return items_from_records(
        [
            {**chat, Col.ITEM_ID: "c-1", Col.AUTHOR: "Caroline Jones",
             Col.TEXT: "Morning, Caroline Jones here: caroline.jones@example.org"},
            {Col.ITEM_ID: "c-2", Col.KIND: Kind.REACTION, Col.AUTHOR: "Sam Okoye",
             Col.RECIPIENT: "Everyone", Col.REPLY_TO: "c-1",
             Col.TEXT: 'Reacted to "Morning, Caroline Jo..." with 👍'},
            {**chat, Col.ITEM_ID: "c-3", Col.AUTHOR: "Marcus Bell",
             Col.RECIPIENT: "Leopold Ashcombe", Col.IS_PRIVATE: True,
             Col.TEXT: "SECRET-DM-MARKER-5 here is your link"},
            {**chat, Col.ITEM_ID: "c-4", Col.AUTHOR: "Jo Hartley",
             Col.RECIPIENT: "All panelists and attendees",
             Col.TEXT: "Thanks to all panelists and attendees. All slides go to attendees."},
            {**chat, Col.ITEM_ID: "c-5", Col.AUTHOR: "Sam Okoye",
             Col.TEXT: "Leopold Ashcombe says hello; ring 07700 900123"},
            {**chat, Col.ITEM_ID: "c-6", Col.AUTHOR: "Ottoline Crabtree",
             Col.RECIPIENT: "Hosts and panelists", Col.IS_PRIVATE: True,
             Col.TEXT: "SECRET-DM-MARKER-6"},
            {Col.ITEM_ID: "s-1", Col.KIND: Kind.ANSWER, Col.AUTHOR: "Philippa Grantham",
             Col.QUESTION: "Any other comments?", Col.RESPONDENT: "p.g@example.com",
             Col.RESPONSE_TYPE: "text", Col.TEXT: "Ottoline Crabtree was great"},
        ]
    )  # fmt: skip


def _participants() -> pd.DataFrame:
    return participants_from_records(
        [
            {PCol.NAME: "Jo Hartley", PCol.EMAIL: "jo.hartley@example.nhs.uk",
             PCol.ROLE: Role.HOST, PCol.ATTENDED: True},
            {PCol.NAME: "Marcus Bell", PCol.EMAIL: "marcus.bell@example.nhs.uk",
             PCol.ROLE: Role.HOST, PCol.ATTENDED: True},
            {PCol.NAME: "+44 7700 900888", PCol.ROLE: Role.ATTENDEE, PCol.ATTENDED: True},
        ]
    )  # fmt: skip


def test_pseudonymise_items():
    p = Pseudonymiser()
    out = pseudonymise_items(_items().iloc[[0, 1, 3, 4, 6]], p, participants=_participants())
    # survey answers lose their author: not linkable to the chat (#13)
    assert list(out[Col.AUTHOR]) == ["Participant 1", "Participant 2", "Participant 3",
                                     "Participant 2", ""]  # fmt: skip
    # groups are not people: the recipient and the words in the text stay
    assert list(out[Col.RECIPIENT]) == ["Everyone", "Everyone", "All panelists and attendees",
                                        "Everyone", ""]  # fmt: skip
    assert list(out[Col.TEXT]) == [
        "Morning, Participant 1 here: [email]",
        'Reacted to "Morning, Participant..." with 👍',
        "Thanks to all panelists and attendees. All slides go to attendees.",
        "Leopold Ashcombe says hello; ring [phone]",  # never seen: see anonymise_tables
        "Ottoline Crabtree was great",
    ]
    assert list(out[Col.RESPONDENT]) == ["", "", "", "", "Respondent 1"]
    assert p.name("Marcus Bell") == "Participant 5"  # participants after the items' people


def test_pseudonymise_items_without_scrubbing():
    p = Pseudonymiser()
    out = pseudonymise_items(_items().iloc[[0]], p, scrub=False)
    assert out[Col.TEXT].iloc[0] == "Morning, Participant 1 here: caroline.jones@example.org"


def test_anonymise_tables():
    p = Pseudonymiser(keep=["Jo Hartley"])
    items, participants, dropped = anonymise_tables(_items(), _participants(), p)
    assert dropped == 2 == private_count(_items())
    assert list(items[Col.ITEM_ID]) == ["c-1", "c-2", "c-4", "c-5", "s-1"]
    assert not items[Col.TEXT].str.contains("SECRET").any()
    # people seen only in private messages are numbered last, and replaced inside text
    assert list(items[Col.TEXT].iloc[[3, 4]]) == [
        "Participant 6 says hello; ring [phone]",
        "Participant 7 was great",
    ]
    assert list(participants[PCol.NAME]) == ["Jo Hartley", "Participant 4", "Participant 5"]
    assert list(participants[PCol.EMAIL]) == ["", "", ""]
    assert p.key() == {
        "Participant 1": "Caroline Jones",
        "Participant 2": "Sam Okoye",
        "Participant 3": "Philippa Grantham",
        "Participant 4": "Marcus Bell",
        "Participant 5": "+44 7700 900888",
        "Participant 6": "Leopold Ashcombe",
        "Participant 7": "Ottoline Crabtree",
    }


def test_learn_people_numbers_public_people_then_participants_then_private_ones():
    p = Pseudonymiser()
    learn_people(p, _items(), _participants())
    assert [p.name(n) for n in ["Caroline Jones", "Jo Hartley", "Ottoline Crabtree"]] == [
        "Participant 1", "Participant 3", "Participant 8"]  # fmt: skip


# -- small groups ---------------------------------------------------------------------------------
def test_merge_small_groups():
    counts = pd.Series({"Alderbrook": 4, "Fernvale": 2, "Quayside": 1, "Lakeshore": 1, "Zed": 3})
    merged = merge_small_groups(counts)
    assert merged.to_dict() == {"Alderbrook": 4, "Zed": 3, "Other": 4}
    assert list(merged.index) == ["Alderbrook", "Zed", "Other"]
    assert merge_small_groups(counts, minimum=2).to_dict() == {
        "Alderbrook": 4, "Zed": 3, "Fernvale": 2, "Other": 2}  # fmt: skip
    assert merge_small_groups(counts, minimum=1).to_dict() == {
        "Alderbrook": 4, "Zed": 3, "Fernvale": 2, "Lakeshore": 1, "Quayside": 1}  # fmt: skip


def test_merge_small_groups_edge_cases():
    # nothing small: no Other; ties by name; zero counts dropped
    assert list(merge_small_groups(pd.Series({"B": 3, "A": 3, "C": 0})).index) == ["A", "B"]
    # one small group alone is still shown as Other (it names nobody)
    assert merge_small_groups(pd.Series({"A": 5, "B": 1})).to_dict() == {"A": 5, "Other": 1}
    # a group already called Other takes the small ones
    assert merge_small_groups(pd.Series({"Other": 4, "A": 5, "B": 2})).to_dict() == {
        "A": 5, "Other": 6}  # fmt: skip
    assert merge_small_groups(pd.Series(dtype="int64")).to_dict() == {}


# -- safe files (feedback.io) ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example/x","click")',
         '\'=HYPERLINK("http://evil.example/x","click")'),
        ("+SUM(1)", "'+SUM(1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("fine = fine", "fine = fine"),
        (3, 3),
    ],
)  # fmt: skip
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_write_table_csv_is_formula_safe(tmp_path):
    table = pd.DataFrame({"=header": ["=1+1", "+SUM(1)", "ok"], "n": [-1.5, 2.0, 3.0]})
    write_table(table, tmp_path / "t.csv")
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["'=header", "n"], ["'=1+1", "-1.5"], ["'+SUM(1)", "2.0"], ["ok", "3.0"]]


def test_write_table_xlsx_has_no_formulas(tmp_path):
    from openpyxl import load_workbook

    table = pd.DataFrame({"text": ['=HYPERLINK("http://evil.example/x","click")', "@cmd", "ok"]})
    write_table(table, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.value for c in cells] == [
        "text", '\'=HYPERLINK("http://evil.example/x","click")', "'@cmd", "ok"]  # fmt: skip
    assert all(c.data_type == "s" for c in cells)


def test_writes_are_atomic(tmp_path, monkeypatch):
    path = tmp_path / "report.md"
    write_text(path, "old")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    # every OSError becomes a one-line OutputError naming the file (#13)
    with pytest.raises(OutputError, match=r"report\.md: cannot write \(disk full\)"):
        write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


def test_check_not_input(tmp_path):
    chat = tmp_path / "in" / "chat.txt"
    chat.parent.mkdir()
    chat.write_text("x", encoding="utf-8")
    check_not_input([tmp_path / "out" / "report.md", None], [chat])
    with pytest.raises(OutputError, match="refusing to write over an input file"):
        check_not_input([chat], [chat])
    with pytest.raises(OutputError, match="refusing to write over an input file"):
        check_not_input([tmp_path / "in" / "." / "chat.txt"], [tmp_path / "in"])


def test_longest_name_wins_among_names_sharing_a_start():
    p = _people("Ann Leeson", "Ann Lee", "Ann Leeson-Smith", "Annabel Lee")
    assert p.replace_in_text("Ann Leeson-Smith, Ann Leeson, Ann Lee and Annabel Lee; Ann") == (
        "Participant 3, Participant 1, Participant 2 and Participant 4; Participant 1"
    )
    assert p.replace_in_text("Annabelle and Leesons") == "Annabelle and Leesons"  # whole words


# -- names as people write them (#13) -------------------------------------------------------------
def test_fold_keeps_one_character_per_character():
    from feedback.names import fold

    for text in ["José Ñúñez", "SIOBHÁN", "Øystein Łukasz", "Straße İstanbul", "ﬁne 🙂"]:
        assert len(fold(text)) == len(text)
    assert fold("José SIOBHÁN Øystein") == "jose siobhan oystein"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Your name (optional)", True),
        ("Name", True),
        ("Full name", True),
        ("What is your name?", True),
        ("Email address", True),
        ("Your name and email", True),
        ("Please give your email if you would like a reply", True),
        ("Phone number", True),
        ("Nombre", True),
        ("Name one thing you will do differently", False),
        ("Which organisation are you from?", False),
        ("How useful was the webinar?", False),
    ],
)
def test_contact_questions(question, asks):
    from feedback.names import is_contact_question

    assert is_contact_question(question) is asks


def test_display_names_of_one_person_share_a_pseudonym():
    p = Pseudonymiser()
    assert p.name("Amara N") == "Participant 1"
    assert p.name("Dr Amara Nwosu (she/her)") == "Participant 1"
    assert p.name("Dr Nwosu") == "Participant 1"
    assert p.name("amara nwosu") == "Participant 1"
    assert p.name("Amara Okafor") == "Participant 2"
    # "Amara" alone now fits two people: a new person, never a guess
    assert p.name("Amara") == "Participant 3"
    assert p.name("José Ruiz") == p.name("Jose Ruiz") == "Participant 4"
    assert len({p.person(n) for n in ["Amara N", "Dr Amara Nwosu (she/her)", "Dr Nwosu"]}) == 1


def test_an_email_shown_as_a_name_is_its_person():
    p = Pseudonymiser()
    assert p.name("tamsin.okonjo@example.org") == "Participant 1"
    assert p.name("Tamsin Okonjo") == "Participant 1"
    p.remember("tamsin.okonjo@example.org")
    p.remember("Tamsin Okonjo")
    assert p.replace_in_text("thanks tamsin") == "thanks Participant 1"


def test_names_without_accents_or_capitals():
    p = _people("José Ruiz", "Siobhán Ní Bhriain", "Deepak Raman")
    assert p.replace_in_text("agree with deepak and jose; siobhan too") == (
        "agree with Participant 3 and Participant 1; Participant 2 too"
    )
    assert p.replace_in_text("RUIZ and Bhriain, José") == (
        "Participant 1 and Participant 2, Participant 1"
    )
    # decomposed accents (e + combining acute) are matched too
    assert p.replace_in_text("Jose\u0301 said") == "Participant 1 said"


def test_survey_contact_answers_are_left_out_and_their_names_replaced():
    items = items_from_records(
        [
            {Col.ITEM_ID: "s-1", Col.KIND: Kind.ANSWER, Col.QUESTION: "Your name (optional)",
             Col.RESPONDENT: "1", Col.RESPONSE_TYPE: "text", Col.TEXT: "Quentin Abernathy"},
            {Col.ITEM_ID: "s-2", Col.KIND: Kind.ANSWER, Col.QUESTION: "Comments",
             Col.RESPONDENT: "1", Col.RESPONSE_TYPE: "text", Col.TEXT: "quentin here, great"},
            {Col.ITEM_ID: "s-3", Col.KIND: Kind.ANSWER, Col.QUESTION: "Email",
             Col.RESPONDENT: "2", Col.RESPONSE_TYPE: "text", Col.TEXT: "nadia.petrov@example.org"},
            {Col.ITEM_ID: "s-4", Col.KIND: Kind.ANSWER, Col.QUESTION: "Comments",
             Col.RESPONDENT: "2", Col.RESPONSE_TYPE: "text", Col.TEXT: "Nadia enjoyed it"},
        ]
    )  # fmt: skip
    p = Pseudonymiser()
    out = pseudonymise_items(items, p)
    assert list(out[Col.ITEM_ID]) == ["s-2", "s-4"]
    assert list(out[Col.TEXT]) == ["Participant 1 here, great", "Participant 2 enjoyed it"]
    assert list(out[Col.RESPONDENT]) == ["Respondent 1", "Respondent 2"]
    assert list(out[Col.AUTHOR]) == ["", ""]


def test_anonymise_tables_merges_small_groups_of_participants():
    records = [
        {PCol.NAME: f"Person {c}", PCol.ORGANISATION: org, PCol.COUNTRY: country,
         PCol.ROLE: Role.ATTENDEE, PCol.ATTENDED: True}
        for c, org, country in [("A", "Big", "UK"), ("B", "Big", "UK"), ("C", "Big", "UK"),
                                ("D", "Tiny", "Norway"), ("E", "", "UK")]
    ]  # fmt: skip
    # Person A twice (a rejoin) still counts once
    records.append(dict(records[0]))
    participants = participants_from_records(records)
    _, safe, _ = anonymise_tables(_items().iloc[:0], participants, Pseudonymiser())
    assert list(safe[PCol.ORGANISATION]) == ["Big", "Big", "Big", "Other", "", "Big"]
    assert list(safe[PCol.COUNTRY]) == ["UK", "UK", "UK", "Other", "UK", "UK"]
    _, safe, _ = anonymise_tables(_items().iloc[:0], participants, Pseudonymiser(), min_group=4)
    assert list(safe[PCol.ORGANISATION]) == ["Other", "Other", "Other", "Other", "", "Other"]
