"""Fuzzing and property tests of the file readers and the working-day arithmetic."""
