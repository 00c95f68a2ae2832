"""Write ``ordinary_negatives.jsonl``: everyday PPN sentences used as extra training negatives.

The victim-blaming corpus is built around the words that matter (hard negatives, paraphrases),
so on its own it teaches the model little about the bulk of a note: appearance, home conditions,
actions taken.  The AWARE corpus (``datasets/aware``) is exactly that bulk, written by the same
team in the same register.  Its train and dev rows (never its test rows) become label-0 rows for
training only; they are not part of the victim-blaming test split or its metrics.

Deterministic: ``python datasets/victim_blaming/make_ordinary.py`` rewrites the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

# Hand-written rationale and action sentences in the child-centred wording the tool recommends:
# they use "at risk", "missing", "support" and "exploited" the way a good PPN does, and must not
# be flagged.  Written for this file; fictional names.
RATIONALE = [
    "She is at risk of sexual exploitation by the adult male who gave her the phone.",
    "He is at risk of further harm if the suspect returns to the address.",
    "Jordan is at risk of criminal exploitation by older males who control him through a debt.",
    "The children are at risk of emotional harm from repeated exposure to domestic abuse.",
    "Ava is at risk because an unknown adult has been contacting her online.",
    "He is at risk if he goes missing again overnight.",
    "Graded high because she has been missing three times this month.",
    "Graded medium as the suspect has been arrested and bail conditions are in place.",
    "Needs help from early help services with housing and money.",
    "Mum needs support with the heating and food until her benefits are paid.",
    "The family needs early help with budgeting and school attendance.",
    "Kieran is distressed but safe at home with his grandmother tonight.",
    "Lily is upset but safe and is staying with her aunt.",
    "He is frightened but safe and has been reassured by officers.",
    "Each missing episode increases the risk of exploitation and harm.",
    "Her mother is supportive and is working with officers to keep her safe.",
    "The school safeguarding lead will be informed in the morning.",
    "A referral has been made so that children's social care can assess the risk.",
    "She is being exploited by adults who supply her with alcohol.",
    "He is being criminally exploited and needs a referral under the NRM.",
    "The risk will increase if the suspect is released without conditions.",
    "There is a risk to the baby from the cold flat and the lack of formula.",
    "Ruby is at risk of neglect as the home has no heating or food.",
    "The adult male poses a risk to any child he has contact with.",
    "Risk remains medium while the children live at the address with the suspect.",
    "Owen is at risk of harm at home and needs a strategy discussion.",
    "Mia is safe now but remains at risk while the adult is still contacting her.",
    "Harley shares a bedroom with his younger sister, who was also spoken to.",
    "Freya lives with her mother and two brothers in a two-bedroom house.",
    "Officers stopped him at the station carrying a bag that older boys had given him.",
    "He was carrying cash and drugs that the older males had forced him to hold.",
    "Mother is at home with her son and daughter, both asleep upstairs.",
    "Grandfather is at risk if he leaves the house at night without support.",
    "The adult at risk lives alone and needs a care needs assessment.",
    "She was supported by her father, who stayed with her throughout.",
    "Social care will visit within 24 hours to assess the children's safety.",
    "Safety advice given and a safety plan agreed with the mother.",
    "The children need a safe adult to stay with them while mum is at hospital.",
    "He needs help with his mental health and a GP appointment has been booked.",
    "She needs a trusted adult at school she can talk to.",
]

HERE = Path(__file__).resolve().parent
AWARE = HERE.parent / "aware"


def main() -> None:
    rows = []
    for split in ("train", "dev"):
        for line in (AWARE / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            src = json.loads(line)
            rows.append(
                {
                    "id": "ord-" + src["id"],
                    "text": src["text"],
                    "label": 0,
                    "category": None,
                    "kind": "ordinary",
                    "hard_negative_type": None,
                    "group": "aware-" + src["group"],
                    "split": "train",
                }
            )
    for i, text in enumerate(RATIONALE, start=1):
        rows.append(
            {
                "id": f"ord-rationale-{i:03d}",
                "text": text,
                "label": 0,
                "category": None,
                "kind": "ordinary",
                "hard_negative_type": None,
                "group": f"ord-rationale-{i:03d}",
                "split": "train",
            }
        )
    out = HERE / "ordinary_negatives.jsonl"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {out.name}")


if __name__ == "__main__":
    main()
