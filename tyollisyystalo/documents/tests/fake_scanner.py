"""A scanner for tests: finds the EICAR test string, as ClamAV does."""

from tyollisyystalo.documents.checks import ScanResult

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def scan(data: bytes) -> ScanResult:
    return ScanResult(scanned=True, found=EICAR in data)
