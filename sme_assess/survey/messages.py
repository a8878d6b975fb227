"""Every validation message of the survey forms, as lazy translated strings (one place)."""

from flask_babel import lazy_gettext as _l

REQUIRED = _l("Please fill in this field.")
NAME_LENGTH = _l("The business name must be 2 to 200 characters long.")
TEXT_CONTROL = _l(
    "This contains invisible or control characters (for example a text-direction mark); "
    "please type it again without them."
)
NAME_LETTER = _l("The name must contain at least one letter.")
NEED_OWNER_PROOF = _l(
    "A results link only shows the results. To start a new assessment for this business, "
    "open it with its resume code first."
)
DIGITS_ASCII = _l("Please type the digits with the ordinary digits 0 to 9.")
TAX_FORMAT = _l(
    "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch "
    "(for example 0100233488 or 0314409058-002)."
)
TAX_CHECK_DIGIT = _l(
    "This tax code is not valid: its last digit does not match. Please check it against your "
    "business registration certificate."
)
TAX_BRANCH = _l("The branch number after the hyphen must be between 001 and 999.")
TAX_REQUIRED = _l("Enterprises and cooperatives have a tax code; please enter it.")
EMAIL = _l("Please enter a valid email address, or leave it empty.")
INVALID_CHOICE = _l("Please choose one of the options.")
NUMBER = _l("Please enter a number.")
NUMBER_RANGE = _l("Please enter a number between %(min)s and %(max)s.")
NUMBER_NO_BAND = _l("This number is outside the accepted range.")
EXCLUSIVE = _l("“%(option)s” cannot be combined with other choices.")
RESUME_NOT_FOUND = _l(
    "No assessment matches this code. A code has 16 letters and digits (dashes optional); "
    "codes of drafts not continued for a long time are deleted."
)
RESUME_TYPO = _l(
    "This code has a typing mistake: its last character does not match the others. "
    "Compare it with the code you noted, character by character."
)
REQUIRED_CHOICE = _l("Please choose one of the options.")
PERSONAL_ID = {
    "format": _l("A personal id number has 12 digits."),
    "province": _l(
        "This personal id number does not start with a province code (001 to 096): please "
        "check its first three digits against the citizen id card."
    ),
    "century": _l(
        "The fourth digit of a personal id number (century and sex) is 0 to 5: please check it "
        "against the citizen id card."
    ),
}
EMAIL_REQUIRED = _l("Please enter an email address.")
