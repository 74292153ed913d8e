"""Each detector finds its valid cases and rejects its invalid ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from steward.discovery import Detector, Verdict, register, scan_text
from steward.discovery.detectors import unregister


def found(text: str, entity: str) -> list[str]:
    return [text[m.start:m.end] for m in scan_text(text)
            if m.entity == entity]


VALID = [
    ("UK_NINO", "NI number AB 12 34 56 C", "AB 12 34 56 C"),
    ("UK_NINO", "nino: JG103759A.", "JG103759A"),
    ("UK_NHS", "NHS number 943 476 5919", "943 476 5919"),
    ("UK_NHS", "patient 9434765919 seen", "9434765919"),
    ("EMAIL_ADDRESS", "write to jane.doe+x@example.co.uk today",
     "jane.doe+x@example.co.uk"),
    ("PHONE_NUMBER", "call 020 7946 0958", "020 7946 0958"),
    ("PHONE_NUMBER", "mobile +44 7700 900123", "+44 7700 900123"),
    ("PHONE_NUMBER", "tel (0161) 496 0000", "(0161) 496 0000"),
    ("PHONE_NUMBER", "or +44 (0)20 7946 0958.", "+44 (0)20 7946 0958"),
    ("CREDIT_CARD", "card 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("CREDIT_CARD", "amex 378282246310005", "378282246310005"),
    ("IBAN_CODE", "IBAN GB82 WEST 1234 5698 7654 32",
     "GB82 WEST 1234 5698 7654 32"),
    ("IBAN_CODE", "DE89370400440532013000", "DE89370400440532013000"),
    ("IP_ADDRESS", "from 192.168.10.1 at", "192.168.10.1"),
    ("PERSON", "Dear Mrs Jane Smith,", "Mrs Jane Smith"),
    ("PERSON", "spoke to Oliver Twist today", "Oliver Twist"),
    ("UK_POSTCODE", "London SW1A 1AA", "SW1A 1AA"),
    ("UK_POSTCODE", "Manchester M1 1AE", "M1 1AE"),
    ("UK_POSTCODE", "Girobank GIR 0AA", "GIR 0AA"),
    ("UK_POSTCODE", "forces mail BFPO 105", "BFPO 105"),
    ("UK_POSTCODE", "Croydon CR2 6XH", "CR2 6XH"),
    ("UK_BANK_ACCOUNT", "sort code 12-34-56 account 12345678",
     "12-34-56 account 12345678"),
    ("UK_BANK_ACCOUNT", "account number 12345678", "12345678"),
    ("UK_PASSPORT", "passport number 123456789", "123456789"),
    ("UK_PASSPORT", "Passport: AB1234567", "AB1234567"),
    ("UK_DRIVING_LICENCE", "licence MORGA753116SM9IJ",
     "MORGA753116SM9IJ"),
    ("UK_DRIVING_LICENCE", "licence SMI99862155J99AB",
     "SMI99862155J99AB"),
    ("UK_UTR", "UTR 1955839661", "1955839661"),
    ("UK_VEHICLE_REGISTRATION", "car AB12 CDE parked", "AB12 CDE"),
    ("UK_VEHICLE_REGISTRATION", "reg YR67XLP", "YR67XLP"),
    ("DATE_OF_BIRTH", "born 12/03/1980 in Leeds", "12/03/1980"),
    ("DATE_OF_BIRTH", "DOB: 1975-11-30", "1975-11-30"),
    ("DATE_OF_BIRTH", "date of birth 3rd March 1962", "3rd March 1962"),
]

INVALID = [
    ("UK_NINO", "QQ 12 34 56 C"),  # Q is never a prefix letter
    ("UK_NINO", "ZZ123456A"),  # ZZ is not allocated
    ("UK_NINO", "GB123456A"),  # nor is GB
    ("UK_NINO", "AO123456A"),  # O is never second
    ("UK_NINO", "AB123456E"),  # suffix is A-D
    ("UK_NINO", "ZZ 12 34 56 T"),  # Faker's ssn() decoy
    ("UK_NHS", "NHS number 943 476 5918"),  # check digit wrong
    ("UK_NHS", "NHS 999 123 4560"),  # test range, never issued
    ("UK_NHS", "CHI 3111001237"),  # mod 11 holds, but 31 November
    ("UK_NHS", "0000000000"),
    ("EMAIL_ADDRESS", "not an email: jane@localhost"),
    ("EMAIL_ADDRESS", "jane..doe@example.com"),
    ("PHONE_NUMBER", "call 04 1234 5678"),  # 04 is not used
    ("PHONE_NUMBER", "call 020 7946 09"),  # too short
    ("CREDIT_CARD", "card 4111 1111 1111 1112"),  # Luhn fails
    ("CREDIT_CARD", "0000 0000 0000 0000"),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 33"),  # mod 97 fails
    ("IP_ADDRESS", "version 999.1.1.1"),
    ("IP_ADDRESS", "01.02.03.04"),
    ("PERSON", "Grace Street is closed"),
    ("PERSON", "The Quick Fox"),
    ("UK_POSTCODE", "code SW1A 1CA"),  # C never in the inward code
    ("UK_POSTCODE", "QA1 1AA"),  # Q never starts a postcode
    ("UK_BANK_ACCOUNT", "order 12345678 shipped"),  # no context
    ("UK_PASSPORT", "ref 123456789 filed"),  # no context
    ("UK_DRIVING_LICENCE", "MORGA713116SM9IJ"),  # month 13
    ("UK_DRIVING_LICENCE", "9ORGA753116SM9IJ"),  # surname starts with 9
    ("UK_UTR", "UTR 1955839662"),  # check digit wrong
    ("UK_UTR", "ref 1955839661"),  # no context
    ("UK_VEHICLE_REGISTRATION", "AB35 CDE"),  # 35 is not an age mark
    ("UK_VEHICLE_REGISTRATION", "AB12 CIE"),  # I is never random
    ("DATE_OF_BIRTH", "invoice dated 12/03/1980"),  # no context
    ("DATE_OF_BIRTH", "born 31/02/1980"),  # no such day
    ("DATE_OF_BIRTH", "born 12/03/2999"),  # in the future
]


@pytest.mark.parametrize(("entity", "text", "value"), VALID)
def test_valid_cases_are_found(entity: str, text: str, value: str) -> None:
    """A valid identifier is found with its exact span."""
    assert found(text, entity) == [value]


@pytest.mark.parametrize(("entity", "text"), INVALID)
def test_invalid_cases_are_rejected(entity: str, text: str) -> None:
    """A value failing its rule is not reported as that entity."""
    assert found(text, entity) == []


def test_validated_flag_and_score() -> None:
    """Checked values are flagged; context raises the score."""
    bare = scan_text("9434765919")[0]
    framed = scan_text("NHS number 9434765919")[0]
    assert bare.validated and framed.validated
    assert framed.score > bare.score
    passport = scan_text("passport 123456789")[0]
    assert passport.entity == "UK_PASSPORT" and not passport.validated


def test_card_number_is_not_an_nhs_number() -> None:
    """A 16-digit card is one card, not an NHS number and a remainder."""
    assert [m.entity for m in scan_text("4111111111111111")] == [
        "CREDIT_CARD"]


def test_utr_beats_nhs_in_tax_context() -> None:
    """A number valid as both is the one its context names."""
    number = "1955839661"
    matches = scan_text(f"Self assessment UTR {number}")
    assert [m.entity for m in matches] == ["UK_UTR"]


class _StaffNumber(Detector):
    entity = "STAFF_NUMBER"
    pattern = r"SN\d{6}"

    def verdict(self, value: str) -> Verdict:
        return Verdict.VALID


@pytest.fixture
def staff_detector() -> Iterator[None]:
    register(_StaffNumber())
    yield
    unregister("STAFF_NUMBER")


@pytest.mark.usefixtures("staff_detector")
def test_new_detector_is_one_class_and_one_registration() -> None:
    """A registered detector takes part in the next scan."""
    assert found("staff SN123456 here", "STAFF_NUMBER") == ["SN123456"]


def test_unregistered_detector_is_gone() -> None:
    assert found("staff SN123456 here", "STAFF_NUMBER") == []
