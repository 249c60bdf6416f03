"""Attendance: outcomes of appointments, their bands, imports, absences without notice."""
