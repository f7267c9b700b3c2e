"""The pages of organizational life, in modules by sub-domain; every view is re-exported here."""
