"""Master data: organisations, people and rooms, created, corrected and retired by the people who own them.

Every change is version-checked (``lms.access.edits.claim_version``) and audited with before and after; records
that history refers to are retired, never deleted.
"""
