"""The handover contract, written out here rather than imported from inkasso.

Tests compare the app against these literals, so a change to the layout in
the app's code cannot silently change what the tests expect.
"""

HEADERS = [
    "Vorname",
    "Nachname",
    "Geschlecht",
    "Firma",
    "Strasse",
    "PLZ",
    "Ort",
    "Land",
    "Telefon 1",
    "Telefon 2",
    "Fax",
    "Email",
    "Rechnungsnr",
    "Forderungsbetrag",
    "Forderungsgrund",
    "Leistungsdatum",
    "Mahndatum",
    "Forderungstyp",
]
