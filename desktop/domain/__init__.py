"""Task rules shared by every layer: parsing what the user typed and formatting what Toggl sent."""
