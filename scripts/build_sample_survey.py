"""Build the bundled sample survey export (``src/feedback/assets/sample/survey.xlsx``).

The workbook imitates a Microsoft Forms "Open in Excel" export of the post-webinar survey for
the sample webinar "Spreading innovation in health and care: the seven principles in practice"
(Thursday 12 March 2026). Every response below is invented for this project; the names and
emails are those of invented attendees in ``attendee_report.csv``.

The script is deterministic: the content is fixed Python data, the workbook properties carry a
fixed date, and the zip entries get a fixed timestamp, so rerunning it rewrites the same bytes.

Run it from the repository root::

    python scripts/build_sample_survey.py
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

DEFAULT_OUT = Path("src/feedback/assets/sample/survey.xlsx")

#: Fixed creation/modification date written into the workbook and its zip entries.
FIXED_STAMP = datetime(2026, 3, 16, 9, 0, 0)

Q_USEFUL = "How useful did you find today's webinar?"
Q_CONFIDENT = "How confident do you now feel about applying the seven principles in your work?"
Q_LIKE = "What do you really like about the Guide and today's session?"
Q_ELSE = "What else would you like included?"
Q_NEED = "What do you need to help you apply this to your work?"
Q_RESOURCES = "Which of these resources would you use?"
Q_DRAW = "Would you like to be entered into the prize draw for a signed copy of the Guide?"

HEADERS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    Q_USEFUL,
    Q_CONFIDENT,
    Q_LIKE,
    Q_ELSE,
    Q_NEED,
    Q_RESOURCES,
    Q_DRAW,
]

CASE = "Case studies;"
TEMPLATES = "Templates and checklists;"
VIDEOS = "Short videos;"
SLIDES = "Slide pack;"
COACHING = "Peer coaching sessions;"
PODCAST = "Podcast;"

NOT_AT_ALL = "Not at all confident"
SLIGHTLY = "Slightly confident"
MODERATELY = "Moderately confident"
VERY = "Very confident"
EXTREMELY = "Extremely confident"

ANON = ("anonymous", "")

# (completion time "MM-DD HH:MM:SS", seconds taken, (email, name), last modified or "",
#  usefulness 1-5, confidence, like, else, need, resources, prize draw)
# fmt: off
RESPONSES: list[tuple] = [
    ("03-12 11:03:40", 118, ("sam.okoye@example.nhs.uk", "Sam Okoye"), "", 5, VERY,
     "Really practical, and the chat was as good as the talks",
     "More on how to measure benefit for staff",
     "Templates I can adapt for our business cases",
     CASE + TEMPLATES + SLIDES, "Yes"),
    ("03-12 11:04:12", 95, ANON, "", 4, MODERATELY,
     "Clear and well paced", "", "Time!", VIDEOS, "No"),
    ("03-12 11:05:55", 402, ("rachel.whitfield@example.nhs.uk", "Rachel Whitfield"), "", 5, VERY,
     "The honesty about failure. Gareth's \"what went wrong\" slide was the most useful ten "
     "minutes of training I've had this year",
     "Case studies from cardiology or other acute specialties would help me make the case to "
     "my consultants",
     "A simple self-assessment against the seven principles that I could run with my team",
     CASE + TEMPLATES + COACHING, "Yes"),
    ("03-12 11:06:30", 251, ("moira.sinclair@example.org", "Moira Sinclair"), "", 5, MODERATELY,
     "That hospices and the voluntary sector were treated as part of the system, not an add-on",
     "Examples from palliative and end of life care",
     "Peer support from others outside the NHS who are trying to do the same thing",
     CASE + COACHING + PODCAST, "Yes"),
    ("03-12 11:07:02", 140, ("kwame.mensah@example.nhs.uk", "Kwame Mensah"), "", 4, MODERATELY,
     "Networks", "How to get protected time agreed by finance",
     "Protected time and a manager who gets it", TEMPLATES + VIDEOS, "Yes"),
    ("03-12 11:08:45", 327, ("helen.price@example.nhs.uk", "Helen Price"), "", 5, VERY,
     "The captions worked well, thank you. Loved finally having a name for systems convening",
     "Maybe a short session just on systems convening?",
     "An infographic of the seven principles that I can put on the wall and use in meetings",
     SLIDES + VIDEOS + CASE, "Yes"),
    ("03-12 11:09:10", 189, ("angela.fox@example.org", "Angela Fox"), "", 4, SLIGHTLY,
     "Carers and patients being named as individuals with something to gain and something to lose",
     "More about involving unpaid carers, and how to pay them for their time", "",
     CASE, "Yes"),
    ("03-12 11:11:38", 233, ("ruth.holloway@example.nhs.uk", "Ruth Holloway"), "", 5, EXTREMELY,
     "The networks section. Lots of people have already been in touch about our community of "
     "practice!",
     "A directory of existing spread networks so people don't reinvent them",
     "Funding for a coordinator, honestly", COACHING + PODCAST + CASE, "Yes"),
    ("03-12 11:12:20", 356, ("zainab.ali@example.com", "Zainab Ali"), "", 5, MODERATELY,
     "The link between evidence and peer credibility, very relevant to my research",
     "References for the evidence behind each principle",
     "Access to evaluation data from the case study sites", CASE + SLIDES, "No"),
    ("03-12 11:14:05", 122, ANON, "", 3, SLIGHTLY,
     "Some good points in the chat", "It was a bit high level. I wanted more how-to",
     "Practical tools, checklists", TEMPLATES, "No"),
    ("03-12 11:16:47", 171, ("lucy.barnes@example.nhs.uk", "Lucy Barnes"), "", 4, MODERATELY,
     "Short and to the point", "Examples from general practice please!",
     "A one page checklist for practice teams, we don't have time to read a long guide",
     TEMPLATES + VIDEOS, "Yes"),
    ("03-12 11:19:30", 212, ("bethan.rees@example.nhs.uk", "Bethan Rees"), "", 5, VERY,
     "Everything, diolch. Good mix of speakers and the pace was just right", "",
     "Bite-sized videos to share with the physio team so they can watch between patients",
     VIDEOS + PODCAST + SLIDES, "Yes"),
    ("03-12 11:23:12", 298, ("priya.shah@example.nhs.uk", "Priya Shah"), "03-12 16:40:02", 5, VERY,
     "The focus on benefit rather than on the innovation itself. That's the conversation we need "
     "to have with our PCNs",
     "How ICBs can fund spread properly, not just pilots",
     "Coaching for our transformation leads, and a template for a spread plan",
     TEMPLATES + COACHING + CASE, "Yes"),
    ("03-12 11:27:55", 164, ("sunita.patel@example.org", "Sunita Patel"), "", 4, MODERATELY,
     "Gareth's answer about paying carers for their time",
     "Carers' voices on the panel next time", "Someone to talk it through with",
     COACHING, "Yes"),
    ("03-12 11:34:08", 240, ("aoife.nibhriain@example.org", "Aoife Ní Bhriain"), "", 5, VERY,
     "A real international feel, great to hear from Norway and the Netherlands in the chat",
     "Irish and European case studies", "A workshop for our regional team",
     CASE + SLIDES + VIDEOS, "Yes"),
    ("03-12 11:41:26", 415, ("kerry.blake@example.com", "Kerry Blake"), "", 4, SLIGHTLY,
     "Realistic, not glossy",
     "Social care examples. The local authority context is very different",
     "Honestly, an employer that protects improvement posts instead of pausing them every time "
     "the budget gets tight. Failing that, templates and checklists I can pick up quickly, and a "
     "few social care case studies I can show to our directors so they can see this isn't just "
     "an NHS thing and that it pays back over time",
     TEMPLATES + CASE, "Yes"),
    ("03-12 11:52:40", 97, ("tariq.aziz@example.org", "Tariq Aziz"), "", 4, MODERATELY,
     "complexity slide", "What to do when something fails, and how to share it", "the slides",
     SLIDES, "Yes"),
    ("03-12 12:03:15", 288, ("femke.deboer@example.net", "Femke de Boer"), "", 5, VERY,
     "Seven principles that fit together and are easy to explain to colleagues",
     "Maybe a session with European learning networks",
     "A translated summary would help my colleagues", SLIDES + CASE, "No"),
    ("03-12 12:15:48", 61, ANON, "", 4, VERY, "", "", "", PODCAST, "No"),
    ("03-12 12:31:02", 305, ("lisa.howarth@example.nhs.uk", "Lisa Howarth"), "", 4, MODERATELY,
     "Good balance of theory and practice",
     "More on sustainability and what to do in year two when the energy drops",
     "Peer support with other trusts at the same stage", COACHING + CASE + TEMPLATES, "Yes"),
    ("03-12 12:47:33", 150, ("mohammed.iqbal@example.nhs.uk", "Mohammed Iqbal"), "", 5, VERY,
     "the psychological safety bits. real and honest", "mental health case studies",
     "time and a bit of coaching", CASE + COACHING + VIDEOS, "Yes"),
    ("03-12 13:02:09", 199, ("nadia.rahman@example.nhs.uk", "Nadia Rahman"), "", 5, EXTREMELY,
     "The Guide is concise and the session brought it to life. Loved the chat",
     "Nothing, it was great", "The slides and the recording to share with our network",
     SLIDES + VIDEOS, "No"),
    ("03-12 13:18:51", 133, ("paul.dempsey@example.nhs.uk", "Paul Dempsey"), "", 4, VERY,
     "Leadership at every level", "A session for band 5 and 6 staff specifically",
     "Short videos for team huddles", VIDEOS + PODCAST, "Yes"),
    ("03-12 13:26:37", 468, ("eleanor.thornton@example.org", "Eleanor Thornton"),
     "03-13 09:02:11", 5, MODERATELY,
     "Psychological safety treated as something practical, not fluffy",
     "Palliative and end of life examples; bereavement services too",
     "A checklist we can use in our after action reviews", TEMPLATES + CASE, "Yes"),
    ("03-12 13:45:20", 176, ("katherine.mills@example.nhs.uk", "Katherine Mills"), "", 4,
     MODERATELY, "Clear structure", "Digital examples", "", CASE + VIDEOS, "Yes"),
    ("03-12 14:02:44", 221, ("claire.benson@example.org", "Claire Benson"), "", 5, VERY,
     "Systems convening - it describes our job",
     "A follow-up workshop on convening in practice, with exercises",
     "Nothing more, we'll use it straight away", SLIDES + COACHING, "No"),
    ("03-12 14:20:18", 84, ANON, "", 2, NOT_AT_ALL,
     "Not much, felt like I've heard it all before", "Concrete examples with numbers",
     "Resources. Staff. Money.", "", "No"),
    ("03-12 14:38:06", 262, ("lorraine.hughes@example.com", "Lorraine Hughes"), "", 4, SLIGHTLY,
     "That somebody said out loud that 12 month deadlines for culture change are unrealistic",
     "How to bring middle managers with you", "Coaching for managers",
     COACHING + CASE, "Yes"),
    ("03-12 14:55:49", 145, ("gary.whitlock@example.com", "Gary Whitlock"), "", 4, SLIGHTLY,
     "good to hear care homes mentioned", "care home examples",
     "something simple and short I can show my staff", VIDEOS + TEMPLATES, "Yes"),
    ("03-12 15:10:27", 187, ("karen.doyle@example.nhs.uk", "Karen Doyle"), "", 5, MODERATELY,
     "Hearing that other people have had the same problems",
     "Nursing examples from primary care", "Time to read the guide properly!",
     PODCAST + VIDEOS, "Yes"),
    ("03-12 15:24:03", 203, ("ngozi.adebayo@example.nhs.uk", "Ngozi Adebayo"), "", 4, MODERATELY,
     "the behaviour change discussion",
     "More on behaviour change theory in practice, e.g. COM-B",
     "A short video series, 5 minutes per principle", VIDEOS + SLIDES, "Yes"),
    ("03-12 15:37:45", 319, ("wendy.marsh@example.org", "Wendy Marsh"), "", 5, VERY,
     "Practical and kind. The benefit principle is something small charities can actually use",
     "Proportionate evidence for small organisations",
     "Templates for describing benefit to funders", TEMPLATES + CASE + SLIDES, "Yes"),
    ("03-12 15:51:12", 109, ("hannah.lloyd@example.nhs.uk", "Hannah Lloyd"), "", 3, SLIGHTLY,
     "The falls story", "More detail on what happened at site 2", "", CASE, "No"),
    ("03-12 15:58:36", 72, ANON, "", 5, VERY, "Excellent", "", "", SLIDES + VIDEOS, "No"),
    ("03-13 08:12:55", 274, ("marie-claire.tremblay@example.com", "Marie-Claire Tremblay"), "",
     5, VERY, "The principles travel well, a lot of this applies in Canada",
     "International examples, and a session at a friendlier time for North America :)",
     "The recording and slides", SLIDES + VIDEOS + PODCAST, "Yes"),
    ("03-13 09:30:18", 158, ("euan.ross@example.nhs.uk", "Euan Ross"), "", 4, MODERATELY,
     "Honest speakers", "Senior buy-in: more on how to get it",
     "A briefing I can take to our executive team, two pages max", SLIDES + TEMPLATES, "Yes"),
    ("03-13 10:05:42", 126, ("jonathan.pike@example.nhs.uk", "Jonathan Pike"), "", 4, MODERATELY,
     "Recognising that \"it won't work here\" is often about capacity",
     "Funding routes for spread", "Clarity about funding", CASE, "Yes"),
    ("03-13 13:47:09", 231, ("monica.pereira@example.com", "Monica Pereira"), "", 4, SLIGHTLY,
     "Being included as home care", "Something for home care providers",
     "Support from the council", TEMPLATES + COACHING, "Yes"),
    ("03-13 21:15:33", 244, ("harpreet.gill@example.com", "Harpreet Gill"), "", 5, VERY,
     "Great to connect internationally, and the community of practice idea",
     "Sessions at an Australia-friendly time", "Peer support across countries",
     COACHING + PODCAST + CASE, "Yes"),
    ("03-14 08:58:20", 196, ("ingrid.saether@example.net", "Ingrid Sæther"), "", 5, VERY,
     "Clear framework and a good discussion about networks", "",
     "Case studies from municipalities", CASE + SLIDES, "Yes"),
    ("03-14 10:22:47", 338, ("pauline.harper@example.org", "Pauline Harper"), "", 4, MODERATELY,
     "Welcoming for a first timer, everything explained without jargon",
     "A beginner's guide or glossary", "A mentor", VIDEOS + COACHING, "Yes"),
    ("03-14 11:36:05", 117, ANON, "", 4, MODERATELY,
     "Loved the sketch of the seven principles", "Infographics", "", SLIDES, "Yes"),
]
# fmt: on


def _when(stamp: str) -> datetime:
    """Turn ``"MM-DD HH:MM:SS"`` (in 2026) into a datetime."""
    return datetime.strptime(f"2026-{stamp}", "%Y-%m-%d %H:%M:%S")


def build_workbook() -> Workbook:
    """Return the survey workbook with one header row and one row per response."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    for number, row in enumerate(RESPONSES, start=1):
        done, seconds, (email, name), modified, useful, confident, *answers = row
        completion = _when(done)
        ws.append(
            [
                number,
                completion - timedelta(seconds=seconds),
                completion,
                email,
                name or None,
                _when(modified) if modified else None,
                useful,
                confident,
                *(answer or None for answer in answers),
            ]
        )
    for column in ("B", "C", "F"):
        for cell in ws[column][1:]:
            cell.number_format = "m/d/yy h:mm:ss"
    props = wb.properties
    props.creator = "Microsoft Forms"
    props.lastModifiedBy = "Microsoft Forms"
    props.title = None
    props.created = FIXED_STAMP
    props.modified = FIXED_STAMP
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise ``wb`` with a fixed modified date and fixed zip entry timestamps."""
    raw = io.BytesIO()
    wb.save(raw)
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Write the sample survey workbook."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    args.out.write_bytes(workbook_bytes(build_workbook()))
    print(f"wrote {args.out} ({len(RESPONSES)} responses)")


if __name__ == "__main__":
    main()
