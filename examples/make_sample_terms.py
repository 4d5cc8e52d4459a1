"""Write ``examples/brightdesk_terms.docx``, the sample operator terms used in the README.

BrightDesk and BrightDesk Labs Inc. are fictional. The terms are written to a designed
coverage of vendor obligations (see ``examples/README.md``), so edit the wording only
together with that table.

The document deliberately exercises the DOCX reader: a "Title" paragraph, "Heading 1"
sections and "Heading 2" sub-sections with typed numbers, normal paragraphs that start with
a typed number ("3.1 ..."), Word auto-numbered "List Number" lists (the first numbered
through the style alone, later ones through their own restarted list instance), "List
Bullet" lists, a table with a repeating header row and several long paragraphs.

The body is kept below in a small markup, one block per blank-line-separated chunk:

* ``# text`` is a Heading 1 and ``## text`` a Heading 2;
* lines starting ``#. `` are items of one auto-numbered list, ``- `` of one bulleted list
  (indented lines continue the item above);
* ``[table]`` places the plans table;
* anything else is a normal paragraph (its lines are joined with spaces).

Run ``python examples/make_sample_terms.py`` from the repository root. The output is
byte-for-byte reproducible: document properties and zip entry times are fixed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.text.paragraph import Paragraph

OUTPUT = Path(__file__).with_name("brightdesk_terms.docx")
TITLE = "BrightDesk Terms of Service"
EFFECTIVE_LINE = "Effective date: March 3, 2025"
FIXED_TIME = dt.datetime(2025, 3, 3, 9, 0, 0, tzinfo=dt.timezone.utc)
ZIP_TIME = (2025, 3, 3, 9, 0, 0)

PLANS_HEADER = ("Plan", "Who may use it", "Age requirement", "List price")
PLANS_ROWS = (
    (
        "Free",
        "Individuals trying BrightDesk for personal or work writing",
        "13 or older; under 18 only with parental or guardian consent",
        "$0",
    ),
    (
        "Plus",
        "Individuals and freelancers who need higher usage allowances",
        "13 or older; under 18 only with parental or guardian consent",
        "$12 per month",
    ),
    (
        "Team",
        "Small businesses with up to 25 members sharing one workspace",
        "18 or older",
        "$20 per member per month",
    ),
    (
        "Business",
        "Organisations that deploy the Widget on their own website or app",
        "18 or older, with authority to bind the organisation",
        "From $99 per month",
    ),
)

BODY = """
These Terms of Service (the "Terms") form a binding agreement between you and BrightDesk Labs
Inc. ("BrightDesk", "we", "us" or "our") and govern your use of the BrightDesk web app, the
BrightDesk chatbot widget, our websites and any related software and services (together, the
"Service"). Please read them carefully, together with our Acceptable Use Policy and our Privacy
Notice.

# 1. Acceptance of these Terms

1.1 By creating an account, embedding a BrightDesk widget on a website, or otherwise accessing
or using the Service, you agree to these Terms and to our Acceptable Use Policy (the "AUP"),
which forms part of these Terms. If you do not agree, you must not use the Service.

1.2 If you accept these Terms on behalf of a company or other organisation, you confirm that
you have authority to bind it, and "you" refers to that organisation as well as to you. An
organisation that subscribes to a Team or Business plan is a "Business Customer".

1.3 In these Terms, "Inputs" means the text, files, knowledge base articles and other material
that you submit to the Service; "Outputs" means the text and other content that the Service
generates in response to Inputs; the "Widget" is the BrightDesk chatbot widget that a Business
Customer can embed on its website or app; and "Visitors" are the people who use a Widget
deployed by a Business Customer.

# 2. The Service

2.1 BrightDesk is an AI writing and customer-support assistant for individuals and small
businesses. Depending on your plan, the Service lets you:

- draft, rewrite, shorten, translate and proofread emails, blog posts, product descriptions
  and other business writing;
- adjust the tone and reading level of a draft and keep a library of reusable templates;
- build a knowledge base from your help-center articles, FAQs and policy documents; and
- answer customer questions around the clock through the Widget, drawing on your knowledge
  base, and hand conversations over to your support team when needed.

2.2 The features of the Service that generate text are powered by large language models
developed by OpenAI, L.L.C. ("OpenAI"), which is currently our AI model provider. We choose and
configure the models, write the instructions that shape how BrightDesk behaves, and add our own
features, templates and safeguards on top of them. We may change the models or model versions
we use from time to time to improve quality, speed or safety.

2.3 BrightDesk is an artificial intelligence system, not a human being. When you chat with
BrightDesk in the web app, or when a Visitor sends a message through a Widget, the replies are
generated by AI. Every Widget conversation opens with a clear notice telling the Visitor that
they are chatting with an AI assistant and not a person, and the notice appears again at the
start of each new conversation. Business Customers may adjust the wording, language and styling
of the notice to match their website, but they may not remove it, hide it, delay it until after
the conversation has started, or change it in a way that suggests the Visitor is talking to a
person.

2.4 We are continually developing the Service and may add, change or retire features. If we
make a change that materially reduces the core functionality of a paid plan, we will give you
at least 30 days' notice, and Section 4.3 will apply.

# 3. Accounts and Age Requirements

3.1 You must be at least 13 years old to create an account or otherwise use the Service. If we
learn that a person under 13 is using the Service, we will close their account.

3.2 If you are 13 or older but under 18 (or under the age of majority where you live, if that
is higher), you may use the Service only with the consent of your parent or legal guardian.
Your parent or guardian must review and agree to these Terms on your behalf, and they are
responsible for your use of the Service, including any fees.

3.3 The plans we offer, and who may use each of them, are summarised in the table below.
Current prices are shown on our pricing page and at checkout; the prices in the table are our
list prices on the effective date of these Terms.

[table]

3.4 You are responsible for all activity that takes place under your account, whether or not
you authorised it. This includes activity by anyone you invite to a Team or Business workspace
and every conversation held through a Widget deployed under your account. You must keep your
login details and Widget embed keys confidential, must not share your account with anyone
else, and must tell us promptly at support@brightdesk.example if you believe that your account
has been compromised.

3.5 You must give us accurate and complete information when you register and keep it up to
date. You may not open a new account after we have terminated yours without our written
permission.

3.6 The owner of a Team or Business workspace can invite and remove members, manage billing,
and view and export the content created in the workspace. If you join a workspace, the owner
will be able to see the Inputs and Outputs you create there.

# 4. Plans, Fees and Billing

4.1 Paid plans are billed in advance, monthly or annually, as you choose at checkout. By
starting a paid plan you authorise us, and our payment processor, to charge the payment method
on file for the fees for your plan, plus any applicable taxes, at the start of each billing
period until you cancel.

4.2 Paid plans renew automatically for successive periods of the same length. You can cancel
at any time from the Billing page in your account settings. Cancellation takes effect at the
end of the current billing period, and you keep access to your paid features until then.

4.3 Fees are non-refundable, except where the law requires a refund or where these Terms
expressly provide for one. If we materially reduce the core functionality of your paid plan
during a billing period, you may cancel and ask for a pro-rated refund of the fees you have
prepaid for the remainder of that period.

4.4 We may change our prices. We will tell you about any price increase by email at least 30
days in advance, and the new price will apply from your next renewal date. If you do not agree
to the new price, you can cancel before it takes effect.

4.5 Each plan includes monthly allowances for generated words and Widget conversations, shown
on our pricing page. Allowances reset at the start of each billing month, and unused
allowances do not roll over. If you reach an allowance, we will let you know, and you can
upgrade or wait for the next reset. On the Business plan, Widget conversations above the
allowance are charged at the overage rate shown at checkout.

4.6 If a payment fails, we will let you know by email and may:

- retry the charge over the following 14 days;
- pause Widget conversations and other paid features until the balance is paid; and
- move your workspace to the Free plan if the balance is still unpaid after 30 days.

# 5. Acceptable Use

## 5.1 OpenAI Usage Policies

Because the Service is built on models provided by OpenAI, you must use the Service in
compliance with OpenAI's usage policies, as published by OpenAI at
https://openai.com/policies/usage-policies and updated by OpenAI from time to time (the "OpenAI
Usage Policies"). The OpenAI Usage Policies form part of these Terms and are incorporated into
them by reference, so a breach of the OpenAI Usage Policies is a breach of these Terms. You are
responsible for reviewing the OpenAI Usage Policies and keeping up to date with changes to
them, and where a rule in the AUP and a rule in the OpenAI Usage Policies both apply, you must
follow both.

## 5.2 Prohibited Uses

You must comply with the AUP at all times. In addition, you may not, and may not help or allow
anyone else to:

#. copy, modify, distribute, sell or lease any part of the Service, or create derivative works
   from it, except as these Terms expressly allow;
#. reverse engineer, decompile or disassemble the Service, or otherwise attempt to derive its
   source code, except to the extent that applicable law permits this despite this restriction;
#. attempt to extract, copy or reconstruct the models that power the Service, including their
   weights, parameters or hidden instructions, whether by technical means or by sending large
   volumes of systematically varied prompts;
#. scrape, crawl or harvest content or data from the Service using bots, scripts or other
   automated means, or access the Service through any interface other than the ones we provide;
#. resell, sublicense or rent access to the Service, or share your login details with people
   outside your workspace; or
#. use the Service for any unlawful purpose or in a way that breaches any applicable law or
   regulation.

## 5.3 Widget Deployments

If you are a Business Customer, you are responsible for the knowledge base content you upload
and for how you configure and deploy each Widget. You must make sure that each Widget is used
on your website or app only in accordance with these Terms and the AUP, and you must not
configure a Widget to produce content that the AUP prohibits.

# 6. Your Content and Outputs

## 6.1 Your Inputs

You keep all ownership rights you have in your Inputs. You are responsible for your Inputs, and
you confirm that you have all the rights and permissions needed to submit them to the Service
and to let us use them as described in these Terms.

## 6.2 Ownership and Use of Outputs

As between you and BrightDesk, and to the extent permitted by applicable law, you own the
Outputs generated for you, and we hereby assign to you any right, title and interest we may
have in those Outputs. You may use your Outputs for any purpose you choose, commercial or
non-commercial, including as data to train, fine-tune or otherwise develop your own machine
learning or artificial intelligence models. Because of the way AI models work, the Service may
generate the same or similar Outputs for other users, and you do not acquire any rights in
Outputs generated for someone else.

## 6.3 Licence to BrightDesk

You grant BrightDesk a worldwide, non-exclusive, royalty-free licence to host, store, copy,
process and display your Inputs and Outputs solely as needed to operate, maintain and support
the Service for you, to keep the Service secure, and to comply with our legal obligations. This
licence ends when your Inputs and Outputs are deleted from our systems, except for copies kept
in routine backups for a limited period.

## 6.4 Keeping Copies

You can export your documents, templates and knowledge base at any time from the Documents page.
The Service is not a backup service, and you should keep your own copies of anything that
matters to you.

# 7. AI Outputs: Accuracy and Limitations

## 7.1 Accuracy of Outputs

Outputs are generated automatically by artificial intelligence, and artificial intelligence
makes mistakes. Outputs may be inaccurate, incomplete, out of date or inconsistent, and they may
state incorrect information with apparent confidence, for example by citing facts, figures,
quotations or sources that do not exist. Because of this, you must review each Output and check
it for accuracy and completeness, against reliable sources where appropriate, before you rely
on it, publish it or send it to anyone else, including to your own customers through the
Widget. The Widget's answers draw on the knowledge base that a Business Customer provides, so
outdated or incorrect material in a knowledge base will lead to incorrect answers. You are
responsible for the Outputs you choose to use and for the consequences of using them, and you
should not treat any Output as a statement of fact made by BrightDesk.

## 7.2 Not Professional Advice

Outputs are not legal, medical, financial, tax or other professional advice, and the Service is
not a substitute for a qualified professional. Using the Service does not create a
lawyer-client, doctor-patient, fiduciary or other professional relationship between you and
BrightDesk. If you need advice about a legal, medical, financial or other professional matter,
consult a suitably qualified person.

## 7.3 Important Decisions

Outputs should not be relied on for important decisions. BrightDesk is a drafting and
customer-support tool, and it is up to you to decide whether and how to use what it produces.

# 8. Reporting Abuse and Harmful Output

8.1 If you see content or activity on the Service that you believe breaches these Terms or the
AUP, or an Output that is harmful, offensive or dangerous, please tell us. You can click the
"Report" button shown next to each response in the web app and in every Widget conversation, or
email abuse@brightdesk.example with a description of the problem and, where possible, a
screenshot or a link to the conversation.

8.2 We review every report we receive. Where a report shows a breach of these Terms or the AUP,
we may remove content, disable a Widget or take action under Section 11. We may not be able to
tell you what action we took, but we will not penalise anyone for a report made in good faith.

8.3 Business Customers must leave the Report button enabled in their Widgets so that Visitors
can flag problematic replies, and must forward to us any complaint they receive from a Visitor
about a harmful Output.

# 9. Privacy

9.1 Our Privacy Notice, available at https://brightdesk.example/privacy, explains what personal
information we collect when you use the Service, how we use it, how long we keep it and the
rights you have. Please read it carefully.

9.2 We use service providers to operate the Service, and they handle information on our behalf
under written contracts that require them to keep it confidential and secure.

# 10. Intellectual Property and Feedback

10.1 BrightDesk and its licensors own all right, title and interest in the Service, including
our software, templates, website content and the BrightDesk name and logo. Except for the
limited rights expressly granted in these Terms, we do not grant you any rights in the Service.

10.2 Subject to these Terms, we grant you a limited, non-exclusive, non-transferable, revocable
licence to access and use the Service during your subscription for your own personal purposes
or for your organisation's internal business purposes, including, on the Business plan,
deploying the Widget on your own website or app.

10.3 If you send us ideas, suggestions or other feedback about the Service, we may use that
feedback freely and without any obligation to you.

10.4 The Service may let you connect third-party tools, such as help-desk or email platforms.
Your use of those tools is governed by the third party's own terms, and we are not responsible
for them.

# 11. Suspension and Termination

## 11.1 Suspension and Termination by BrightDesk

We may suspend or terminate your account, disable any Widget deployed under it, or restrict
your access to all or part of the Service, if:

#. you breach these Terms or the AUP, or we reasonably suspect that you have done so;
#. our AI model provider, OpenAI, requires us to suspend or end your access, or notifies us
   that your use of the Service breaches its policies;
#. we reasonably believe that your use of the Service creates a risk of harm to BrightDesk,
   other users, Visitors or anyone else;
#. we are required to do so by law or by a court order; or
#. fees for your account remain unpaid more than 30 days after their due date.

Where we reasonably can, we will tell you why we are taking action and give you an opportunity
to fix the problem first. We do not have to do so where the breach is serious, where giving
notice could cause harm, or where our AI model provider requires us to act immediately.

## 11.2 Termination by You

You may stop using the Service at any time and may delete your account from your account
settings. Deleting your account ends your access immediately; fees already paid are not
refunded except as described in Section 4.3.

## 11.3 Effect of Termination

When your account is terminated, your right to use the Service ends, any Widget deployed under
your account stops responding, and we will delete your Inputs and Outputs in accordance with our
Privacy Notice. You should export any content you want to keep before your account is closed.
Sections 6, 7, 10, 12, 13 and 14, and any other provisions that by their nature should survive,
continue to apply after termination.

# 12. Disclaimers

To the fullest extent permitted by law, the Service is provided "as is" and "as available", and
BrightDesk, its affiliates and its licensors disclaim all warranties and conditions of any kind,
whether express, implied or statutory, including any implied warranties of merchantability,
fitness for a particular purpose, title, quiet enjoyment and non-infringement, and any
warranties arising from course of dealing or usage of trade. We do not warrant that the Service
will be uninterrupted or available at any particular time, that defects will be corrected, or
that the Service will meet your requirements, and we are not responsible for any third-party
tools that you connect to the Service. Some jurisdictions do not allow the exclusion of certain
warranties, so some of these exclusions may not apply to you, and nothing in these Terms limits
any rights you have as a consumer that cannot be excluded under applicable law.

# 13. Limitation of Liability and Indemnity

13.1 To the fullest extent permitted by law, BrightDesk and its affiliates, licensors and
service providers will not be liable for any indirect, incidental, special, consequential,
exemplary or punitive damages, or for any loss of profits, revenue, goodwill or data, arising
out of or relating to these Terms or the Service, whether the claim is based in contract, tort
(including negligence), strict liability or any other legal theory, and even if we have been
told that such damages were possible. This limitation applies to claims relating to the
Service, to Outputs and to any third-party tools connected to the Service, and it applies even
if a remedy set out in these Terms fails of its essential purpose.

13.2 To the fullest extent permitted by law, our total liability for all claims arising out of
or relating to these Terms or the Service will not exceed the greater of the fees you paid us
in the 12 months before the event giving rise to the claim and US$100.

13.3 Nothing in these Terms excludes or limits any liability that cannot be excluded or limited
under applicable law, including liability for our gross negligence or wilful misconduct.

13.4 If you use the Service on behalf of an organisation, that organisation will defend,
indemnify and hold harmless BrightDesk and its affiliates, officers and employees against any
third-party claim, and any related losses, damages and reasonable legal fees, arising out of
its Inputs, its knowledge base content, its deployment of a Widget, or its breach of these Terms
or the AUP.

# 14. General

14.1 We may update these Terms from time to time, for example to reflect changes to the Service,
to our AI model provider's requirements or to the law. If a change is material, we will notify
you by email or in the Service at least 30 days before it takes effect, unless the law requires
the change sooner. By continuing to use the Service after the change takes effect, you accept
the updated Terms; if you do not agree, you must stop using the Service and cancel your plan.

14.2 These Terms are governed by the laws of the State of Delaware, without regard to its
conflict of laws rules. Any dispute arising out of or relating to these Terms or the Service
will be resolved exclusively in the state or federal courts located in Travis County, Texas,
and you and BrightDesk consent to the personal jurisdiction of those courts. If you are a
consumer, you also keep the benefit of any mandatory consumer protection laws of the country
where you live and any right you have under them to bring claims in your local courts.

14.3 You may not assign or transfer these Terms without our prior written consent. We may assign
them to an affiliate or in connection with a merger, acquisition or sale of all or substantially
all of our assets.

14.4 These Terms, together with the AUP and the other policies and documents referred to in
them, are the entire agreement between you and BrightDesk about the Service and replace any
earlier agreement about it. If a Business Customer has signed an order form with us, the order
form prevails over these Terms to the extent that they conflict.

14.5 If any provision of these Terms is found to be unenforceable, the rest of these Terms will
remain in effect. Our failure to enforce a provision is not a waiver of our right to do so
later.

14.6 We are not liable for any delay or failure to perform caused by events beyond our
reasonable control, including outages at our hosting or model providers, failures of public
networks, labour disputes, fires, floods and other natural disasters.

14.7 You can contact us at BrightDesk Labs Inc., 1200 Lantern Row, Suite 300, Austin, TX 78701,
United States, by email at legal@brightdesk.example for legal notices, or at
support@brightdesk.example for help with your account.
"""


@dataclass(frozen=True)
class Block:
    """One rendered unit of the body: a paragraph, heading, list or the plans table.

    Attributes:
        kind: ``"heading1"``, ``"heading2"``, ``"paragraph"``, ``"numbered"``,
            ``"bullets"`` or ``"table"``.
        items: The text of the block; one entry, or one per list item (empty for the table).
    """

    kind: str
    items: tuple[str, ...]


def _list_items(lines: Sequence[str], marker: str) -> tuple[str, ...]:
    """Split a list block into items, joining indented continuation lines."""
    items: list[str] = []
    for line in lines:
        if line.startswith(marker):
            items.append(line[len(marker) :].strip())
        else:
            items[-1] = f"{items[-1]} {line.strip()}"
    return tuple(items)


def parse_body(markup: str) -> list[Block]:
    """Parse the body markup described in the module docstring into blocks.

    Args:
        markup: Blank-line-separated blocks of body markup.

    Returns:
        The blocks in document order.
    """
    blocks: list[Block] = []
    for chunk in markup.strip().split("\n\n"):
        lines = chunk.strip("\n").splitlines()
        first = lines[0]
        if first.startswith("## "):
            blocks.append(Block("heading2", (first[3:].strip(),)))
        elif first.startswith("# "):
            blocks.append(Block("heading1", (first[2:].strip(),)))
        elif first.startswith("#. "):
            blocks.append(Block("numbered", _list_items(lines, "#. ")))
        elif first.startswith("- "):
            blocks.append(Block("bullets", _list_items(lines, "- ")))
        elif first == "[table]":
            blocks.append(Block("table", ()))
        else:
            blocks.append(Block("paragraph", (" ".join(line.strip() for line in lines),)))
    return blocks


def _restarted_list_number_id(document: Document) -> int:
    """Create a new instance of the "List Number" list that starts again at 1.

    Word continues one numbering sequence across every paragraph that takes its numbering
    from the same ``w:num``; a second list needs its own ``w:num`` (pointing at the same
    abstract definition) with a start override.

    Returns:
        The ``numId`` of the new list instance.
    """
    style_num_id = document.styles["List Number"].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _set_num_id(paragraph: Paragraph, num_id: int) -> None:
    """Give a list paragraph direct numbering (level 0 of list instance ``num_id``)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _add_plans_table(document: Document) -> None:
    """Add the plans table, with a bold header row marked to repeat on each page."""
    table = document.add_table(rows=1, cols=len(PLANS_HEADER))
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, PLANS_HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in PLANS_ROWS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def build_document(blocks: Sequence[Block]) -> Document:
    """Build the terms document from parsed body blocks.

    Args:
        blocks: The body, as returned by :func:`parse_body`.

    Returns:
        The populated document, with fixed core properties.
    """
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(EFFECTIVE_LINE)
    numbered_lists = 0
    for block in blocks:
        if block.kind == "heading1":
            document.add_paragraph(block.items[0], style="Heading 1")
        elif block.kind == "heading2":
            document.add_paragraph(block.items[0], style="Heading 2")
        elif block.kind == "paragraph":
            document.add_paragraph(block.items[0])
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "numbered":
            # The first list is numbered through the style alone; later lists restart at 1.
            num_id = _restarted_list_number_id(document) if numbered_lists else None
            numbered_lists += 1
            for item in block.items:
                paragraph = document.add_paragraph(item, style="List Number")
                if num_id is not None:
                    _set_num_id(paragraph, num_id)
        elif block.kind == "table":
            _add_plans_table(document)
        else:
            raise ValueError(f"unknown block kind {block.kind!r}")

    props = document.core_properties
    props.title = TITLE
    props.subject = "Sample operator terms of service (fictional) for gapcheck"
    props.author = "BrightDesk Labs Inc."
    props.last_modified_by = "BrightDesk Labs Inc."
    props.comments = "Fictional sample generated by examples/make_sample_terms.py"
    props.keywords = "gapcheck sample"
    props.category = "Terms of Service"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return document


def save_reproducibly(document: Document, path: Path) -> None:
    """Save ``document`` to ``path`` with fixed zip entry times, so reruns give equal bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))


def main(argv: Sequence[str] | None = None) -> int:
    """Write the sample terms; ``-o PATH`` overrides the default output location.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The process exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help="where to write")
    args = parser.parse_args(argv)
    save_reproducibly(build_document(parse_body(BODY)), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
