"""``python -m kg.reference.build``."""

from kg.reference.build import main

raise SystemExit(main())
