"""Input and output: where files are read and written.

``files`` (file names as shown, standard input's name, checksums and atomic writes),
``archive`` (the ``.hedge`` model archive: where a model file is read and written, checked
against its manifest; the weights inside are :mod:`classifier.model.weights`), ``labeled``
(labelled data for training and evaluation), ``tables`` (CSV, TSV, JSONL and Parquet
tables to score), ``reader`` (text streamed in bounded memory) and ``formats`` (the output
records: jsonl, csv, tsv, text).
"""
