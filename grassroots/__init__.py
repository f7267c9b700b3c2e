"""Grassroots: the day-to-day work of grassroots party organizations."""
