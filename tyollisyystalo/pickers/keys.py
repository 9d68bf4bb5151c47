"""The names of the pickers' sources (the endpoint's URL segment), shared by the forms that
use a picker and the endpoint that answers for it, without either importing the other."""

REFERRAL_SERVICES = "lahetepalvelut"
SERVICES = "palvelut"
ORGANISATIONS = "organisaatiot"
INVITABLE_STAFF = "kutsuttavat"
