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

#: A larger labeled corpus, for the training-data reader and the train/eval commands.
LABELED_HEDGED = [
    "The protein may play a role in repair.",
    "It is unclear whether the drug works.",
    "These results suggest that the gene is involved.",
    "Perhaps the effect is indirect.",
    "The virus might spread to other regions.",
    "It is possible that the samples were mixed.",
    "The treatment probably helps some patients.",
    "The data suggest that the pathway could be blocked.",
    "The drug may reduce pain in some patients.",
    "The gene might be expressed in the brain.",
    "Possibly the signal is noise.",
    "The results may point to a new mechanism.",
    "It is likely that the virus spread further.",
    "The receptor could possibly bind the drug.",
    "We suggest that the samples might be mixed.",
    "The effect may be indirect.",
    "The mutation might cause the disease.",
    "It is possible the drug works in children.",
    "The results suggest the protein binds DNA.",
    "Perhaps the patients received too little.",
]
LABELED_FIRM = [
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
    "The mutation causes the disease.",
    "The drug reduces pain.",
    "The effect is direct.",
    "The signal was recorded at noon.",
    "The patients were treated for ten days.",
    "The protein was purified from yeast.",
    "The cells divided twice.",
    "The results were published in 2010.",
    "The children were weighed weekly.",
]

#: Firm sentences of the small corpus: a news fact and the first firm sentences above.
FIRM = ["Russia annexed Crimea from Ukraine in 2014.", *LABELED_FIRM[:11]]
SENTENCES = HEDGED + FIRM
LABELS = ["uncertain"] * len(HEDGED) + ["certain"] * len(FIRM)
