"""``python -m classifier.cli``: the ``hedge`` command."""

from classifier.cli.main import main

raise SystemExit(main())
