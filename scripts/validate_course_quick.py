import sys
from pathlib import Path
from courses.loader import load_course
from lms.question_types import BUILTIN_TYPES
from lms.errors import LmsError

types = {t.name: t for t in BUILTIN_TYPES}
bad = 0
for p in sys.argv[1:]:
    try:
        c = load_course(Path(p), types)
        from collections import Counter

        print(
            "OK",
            p,
            len(c.spec.modules),
            "modules",
            len(c.spec.questions),
            "questions",
            dict(Counter(q.type for q in c.spec.questions)),
        )
    except LmsError as e:
        bad += 1
        print("ERROR", e)
sys.exit(1 if bad else 0)
