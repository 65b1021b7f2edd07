"""A tiny labeled corpus written for the tests."""

HEDGED = [
    "The protein may play a role in repair.",
    "It is unclear whether the drug works.",
    "These results suggest that the gene is involved.",
    "The chances of a recovery are slim.",
    "Perhaps the effect is indirect.",
    "The virus might spread to other regions.",
    "It is possible that the samples were mixed.",
    "The mechanism remains to be seen.",
    "A role for the receptor cannot be ruled out.",
    "The treatment probably helps some patients.",
    "We think the signal is likely to be noise.",
    "The data indicate that the pathway could be blocked.",
]
FIRM = [
    "Russia annexed Crimea from Ukraine in 2014.",
    "The protein binds DNA.",
    "The drug was given to forty patients.",
    "Samples were stored at four degrees.",
    "The gene is expressed in the liver.",
    "The virus spread to three regions.",
    "We measured the signal twice.",
    "The receptor was cloned in 1998.",
    "Patients received the treatment daily.",
    "The pathway was blocked by the inhibitor.",
    "The study enrolled 200 children.",
    "The samples were sequenced in March.",
]
SENTENCES = HEDGED + FIRM
LABELS = ["uncertain"] * len(HEDGED) + ["certain"] * len(FIRM)
