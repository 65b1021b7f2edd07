"""Help texts of the ``hedge`` command line: descriptions and examples of each command.

Kept apart from :mod:`classifier.cli.main`, which holds the parsers and handlers.
"""

MAIN_EPILOG = """\
examples:
  echo "It may rain tomorrow. The sky is blue." | hedge score
  hedge score --format jsonl report.txt notes.txt -o scores.jsonl
  hedge explain "The results suggest a role for the gene."
  hedge train labeled.csv --out my.hedge
  hedge eval test.csv --model my.hedge
  hedge lexicon check my_lexicon/

Run "hedge COMMAND --help" for the options of a command.
"""

SCORE_DESCRIPTION = """\
Split text into sentences and score each for certainty, with the hedge cues
that made it uncertain. Reads text files (UTF-8 unless --encoding), tables and
folders, or standard input when no FILE or '-' is given.
"""

SCORE_EPILOG = """\
examples:
  $ echo "It may rain tomorrow. The sky is blue." | hedge score
  -[0]  uncertain  0.08
      It [[may]] rain tomorrow.
      cues: may (modal)

  -[1]  certain  1.00
      The sky is blue.

  2 sentences: 1 uncertain, 1 certain

  hedge score --format jsonl report.txt > report.jsonl
  hedge score --lines --format csv -o scores.csv sentences.txt

output fields (jsonl, csv, tsv), one record per sentence, in input order:
  doc        file name as given, "-" for standard input
  sentence   0-based index of the sentence in its file
  line       1-based line number (only with --lines)
  start,end  character offsets of the sentence: in the file, or with --lines
             in its line; file[start:end] == text
  text       the sentence
  certainty  probability that the sentence is certain, full precision
  label      "certain" or "uncertain"
  cues       hedge cues found: objects with text, start, end (offsets like
             start and end) and category in jsonl; "text|category" items
             joined by "; " in csv and tsv

tables and folders: a .csv, .tsv, .jsonl or .parquet FILE is a table, scored
one row at a time (the column --text-col; records repeat row, --id-col and
--keep-col after doc); a folder FILE scores every .txt file under it (--glob),
doc being the path relative to it.

--per document: one record per document (a file, a table row) with doc,
certainty (the lowest of its sentences), uncertain_share, label, sentences,
uncertain and categories.

--format html writes one self-contained page (classifier.report): each input
whole, sentences shaded by certainty, cues underlined, details on hover, tap or
focus, an index of uncertain sentences and filters.

--explain (text and jsonl only) adds, in text, every cue that fired, kept or
discarded with the rule that decided, and its contribution to the log-odds of
"uncertain"; in jsonl, a "contribution" field in each cue.
"""

DATA_OPTIONS_HELP = """\
labeled data: JSONL, JSON, CSV, TSV or Parquet (by extension, or --data-format),
UTF-8 unless --encoding says otherwise,
one sentence per record with a text and a label column. Labels are
certain/uncertain; or 0/1, true/false (1 and true mean uncertain unless
--uncertain-value 0); or any two values, with --uncertain-value naming the one
that means uncertain (e.g. --uncertain-value yes); or graded ratings with
--rating-cutoff R (a rating <= R means uncertain). --threshold T is the
decision threshold, as in hedge score: uncertain below certainty T.
"""

TRAIN_DESCRIPTION = (
    """\
Train a model on labeled sentences and save it as one model file (MODEL, a
.hedge archive with its manifest inside). Prints the cross-validated precision, recall and F1
of "uncertain". The same data and --seed give a byte-identical model file.

"""
    + DATA_OPTIONS_HELP
)

TRAIN_EPILOG = """\
examples:
  $ cat labeled.csv
  text,label
  The results suggest that the gene is involved.,uncertain
  The protein binds DNA.,certain
  ...
  $ hedge train labeled.csv --out my.hedge
  hedge train ratings.jsonl --rating-cutoff 3 --out my.hedge
  hedge train hedged.tsv facts.tsv --lexicon my_lexicon/ --base --out my.hedge
"""

EVAL_DESCRIPTION = (
    """\
Score labeled sentences with a model (each record as one sentence) and report
precision, recall and F1 of "uncertain", accuracy, the confusion matrix, ROC
AUC, Brier score and a calibration table; with --rating-cutoff, also the
Pearson and Spearman correlation of certainty with the ratings.

"""
    + DATA_OPTIONS_HELP
)

EVAL_EPILOG = """\
examples:
  hedge eval test.csv --model my.hedge
  hedge eval ratings.jsonl --rating-cutoff 3 --format json -o report.json
  hedge eval test.csv --model my.hedge --threshold 0.6
  hedge eval test.csv --model my.hedge --plot calibration.png
"""

EXPLAIN_EPILOG = """\
examples:
  $ hedge explain "We met in May and it may rain."
  We met in May and it may rain.
    uncertain  certainty 0.11 (uncertain below 0.70)
    log-odds of uncertain +2.099 = cues +4.344 + other features and intercept -2.244
    cue  category  status                                  contribution
    May  modal     discarded: false friend: the month May  +0.000
    may  modal     kept                                    +4.344

  hedge explain --model my.hedge "It is not certain that it works."
  hedge explain < notes.txt
  hedge explain --format json --file notes.txt > why.json
"""

LEXICON_EPILOG = """\
examples:
  hedge lexicon check my_lexicon/
"""

LEXICON_CHECK_EPILOG = """\
examples:
  $ hedge lexicon check my_lexicon/
  OK: my_lexicon/: 12 entries in 1 file (modal 7, booster 5)
  $ hedge lexicon check broken/
  hedge: error: broken/hedges.tsv:7:category: unknown category 'modl'; ...
"""


# Help of options and commands, for argparse.
HELP_LINES = "take each non-blank line as one sentence instead of splitting the text"
HELP_EXPLAIN = "add each cue's rule and contribution to the log-odds (text and jsonl)"
HELP_THRESHOLD = (
    "label a sentence uncertain when its certainty is below T (default: the model's own threshold)"
)
HELP_ERRORS = (
    "on bytes invalid in the encoding: stop with an error naming them, or replace "
    "them with U+FFFD (default: %(default)s)"
)
HELP_JOBS = (
    "score on N processes, at most one per core (-1: one per core); output is the same as with 1"
)
HELP_PER = (
    "one record per sentence, or per document (a file, a table row) with its share of"
    " uncertain sentences and lowest certainty (default: %(default)s)"
)
HELP_TEXT_COL = (
    "score the column NAME of tables (.csv, .tsv, .jsonl, .parquet); each row is a document"
)
HELP_KEEP_COL = "another table column repeated in records (may be given more than once)"
HELP_INPUT_FORMAT = (
    "read every FILE as a table of this format: csv, tsv, jsonl or parquet (default: by extension)"
)
HELP_GLOB = (
    "files of a folder FILE to score, in sorted order (default: **/*.txt, every .txt file under it)"
)
HELP_LEXICON = (
    "add the cues of the lexicon directory DIR to the model without retraining "
    "(scored through their category's and prior's weights)"
)
HELP_OUTPUT = "write to PATH (replaced atomically) instead of standard output ('-')"
HELP_DUPLICATES = (
    "a sentence labeled both ways: stop with an error naming them (default), drop every "
    "copy of it, or keep its first label"
)
HELP_DATA_FORMAT = "format of the data files (default: from each file's extension)"
HELP_RATING_CUTOFF = "labels are graded ratings; a rating <= R means uncertain"
HELP_THRESHOLD_TRAIN = (
    "decide uncertain below certainty T instead of choosing the threshold by cross-validation"
)
HELP_THRESHOLD_EVAL = (
    "evaluate at decision threshold T: uncertain below certainty T (default: the model's own)"
)
HELP_UNCERTAIN_VALUE = (
    "the label value meaning uncertain, e.g. 0 or yes; the one other value means "
    "certain (default: uncertain, 1, true)"
)
HELP_LEXICON_2 = "train with the lexicon in DIR instead of the bundled lexicons"
HELP_BASE = "with --lexicon: the bundled lexicons plus DIR's (DIR wins on a clash)"
HELP_PLOT = (
    "also draw a reliability diagram and the precision-recall curve into PNG (needs "
    'matplotlib: pip install "hedge-classifier[plot]")'
)
DESCRIPTION_COMMAND_EXPLAIN = (
    "Show each cue that fired in a sentence: its category, whether it was kept or "
    "discarded and by which rule (negation, false friend), and its contribution to "
    "the log-odds of uncertain (0 for a discarded cue); then the sentence's certainty"
    " and label. Each SENTENCE is taken as one sentence; text from --file or, with "
    "neither, from standard input is split into sentences."
)
HELP_FILE = "explain every sentence of a text file ('-' for standard input)"
HELP_FORMAT = "text, or json: a list with one object per sentence (default: %(default)s)"
DESCRIPTION_COMMAND_LEXICON = (
    "Work with lexicon directories (UTF-8 *.tsv files with the header "
    "cue<TAB>category<TAB>weight<TAB>note)."
)
DESCRIPTION_COMMAND_CHECK = (
    "Validate every *.tsv file of a lexicon directory: header, fields, categories, "
    "weights, and no cue twice. Prints OK with the entry count, or the first error as"
    " file:line:field and exits with status 1."
)
