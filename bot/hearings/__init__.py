"""Hearings (partshøring): cases, letters, drafts, guidance, remarks, evidence export, casework."""
