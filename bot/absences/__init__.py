"""absences package."""
